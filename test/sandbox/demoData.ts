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
