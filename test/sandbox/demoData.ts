// Demo account and customer types served by `npm run sandbox`, and reusable by tests that
// want realistic Vietnamese data (diacritics, spaces, mixed case) rather than "foo"/"bar".
// No imports on purpose: this file must bundle anywhere (Node tests, extension host).

export interface DemoType {
  typeNo: string;
  typeName: string;
}

export interface DemoProject {
  projectCode: string;
  /** Human label for printing only; the VBot API knows a project by its code alone. */
  projectName: string;
  types: DemoType[];
}

export const DEMO_USER = { username: 'demo', password: 'demo123' } as const;

export const DEMO_VBOT_ID = 'VB-DEMO-0001';

export const DEMO_PROJECTS: readonly DemoProject[] = [
  {
    projectCode: 'SALES',
    projectName: 'Kinh doanh',
    types: [
      { typeNo: 'VIP', typeName: 'Khách hàng VIP' },
      { typeNo: 'TIEM_NANG', typeName: 'Khách hàng tiềm năng' },
      { typeNo: 'DAI_LY_C1', typeName: 'Đại lý cấp 1' },
      { typeNo: 'DAI_LY_C2', typeName: 'Đại lý cấp 2' },
      { typeNo: 'KH_MOI', typeName: 'Khách hàng mới' },
    ],
  },
  {
    projectCode: 'CSKH',
    projectName: 'Chăm sóc khách hàng',
    types: [
      { typeNo: 'THAN_THIET', typeName: 'Khách hàng thân thiết' },
      { typeNo: 'KHIEU_NAI', typeName: 'Khách hàng đang khiếu nại' },
      { typeNo: 'BAO_HANH', typeName: 'Khách hàng còn bảo hành' },
      { typeNo: 'NGUNG_DV', typeName: 'Khách hàng ngừng dịch vụ' },
    ],
  },
  {
    projectCode: 'MARKETING',
    projectName: 'Tiếp thị',
    types: [
      { typeNo: 'LEAD_FB', typeName: 'Lead từ Facebook' },
      { typeNo: 'LEAD_WEB', typeName: 'Lead từ website' },
      { typeNo: 'HOI_THAO', typeName: 'Khách tham dự hội thảo' },
    ],
  },
];

/** The demo data in the shape of `SandboxOptions.seed`. Returns fresh copies, so callers may mutate. */
export function demoSeed(): Array<{ vbotId: string; projectCode: string; types: DemoType[] }> {
  return DEMO_PROJECTS.map((p) => ({
    vbotId: DEMO_VBOT_ID,
    projectCode: p.projectCode,
    types: p.types.map((t) => ({ ...t })),
  }));
}

// --- API v3: the demo project's customer fields ----------------------------------------------------
// The same types written without an import of fieldSandbox.ts, so this file still bundles anywhere.

/** A fixed, public demo API key for the v3 endpoints (project DEMO_V3_PROJECT), like the demo password. */
export const DEMO_API_KEY = 'demo-v3-api-key-0001';
export const DEMO_V3_PROJECT = 'SALES';

type DemoOption = { code: string; name: string; type?: 'OPTION' | 'OPTGROUP'; group?: string; color: string; text_color: string };
export interface DemoField {
  code: string;
  name: string;
  type: 'SELECT' | 'CHECKBOX' | 'RADIO';
  options: DemoOption[];
}

/** Two choice fields with colours: a SELECT with groups and a RADIO. */
export const DEMO_FIELDS: readonly DemoField[] = [
  {
    code: 'hang_thanh_vien',
    name: 'Hạng thành viên',
    type: 'SELECT',
    options: [
      { code: 'NHOM_CAO_CAP', name: 'Cao cấp', type: 'OPTGROUP', color: '#6A1B9A', text_color: '#FFFFFF' },
      { code: 'KIM_CUONG', name: 'Kim cương', group: 'NHOM_CAO_CAP', color: '#00ACC1', text_color: '#FFFFFF' },
      { code: 'BACH_KIM', name: 'Bạch kim', group: 'NHOM_CAO_CAP', color: '#90A4AE', text_color: '#000000' },
      { code: 'VANG', name: 'Vàng', color: '#F9A825', text_color: '#000000' },
      { code: 'BAC', name: 'Bạc', color: '#BDBDBD', text_color: '#000000' },
      { code: 'DONG', name: 'Đồng', color: '#8D6E63', text_color: '#FFFFFF' },
    ],
  },
  {
    code: 'nguon',
    name: 'Nguồn',
    type: 'RADIO',
    options: [
      { code: 'FACEBOOK', name: 'Facebook', color: '#1877F2', text_color: '#FFFFFF' },
      { code: 'WEBSITE', name: 'Website', color: '#2E7D32', text_color: '#FFFFFF' },
      { code: 'GIOI_THIEU', name: 'Người quen giới thiệu', color: '#EF6C00', text_color: '#FFFFFF' },
      { code: 'HOI_THAO', name: 'Hội thảo', color: '#C62828', text_color: '#FFFFFF' },
    ],
  },
];

/** Customers of the demo v3 project with their choice values, for customer/count-all. */
export const DEMO_CUSTOMERS: ReadonlyArray<{ name: string; values: Record<string, string[]> }> = [
  { name: 'Nguyễn Văn An', values: { hang_thanh_vien: ['VANG'], nguon: ['FACEBOOK'] } },
  { name: 'Trần Thị Bình', values: { hang_thanh_vien: ['VANG'], nguon: ['WEBSITE'] } },
  { name: 'Lê Hoàng Cường', values: { hang_thanh_vien: ['KIM_CUONG'], nguon: ['GIOI_THIEU'] } },
  { name: 'Phạm Minh Dũng', values: { hang_thanh_vien: ['BAC'], nguon: ['FACEBOOK'] } },
  { name: 'Võ Thu Hà', values: { hang_thanh_vien: ['VANG'], nguon: ['FACEBOOK'] } },
];

/** The demo fields in the shape of `SandboxOptions.fieldSeed`; fresh copies. */
export function demoFieldSeed() {
  return [
    {
      vbotId: DEMO_VBOT_ID,
      projectCode: DEMO_V3_PROJECT,
      fields: DEMO_FIELDS.map((f) => ({ ...f, options: f.options.map((o) => ({ ...o })) })),
      customers: DEMO_CUSTOMERS.map((c) => ({ name: c.name, values: structuredClone(c.values) })),
    },
  ];
}
