// The name of the file that keeps customer types as code; alone, so the main bundle can tell such a file without
// taking the format (format.ts).
export const DESIRED_STATE_FILE_NAME = 'vbot-types.json';
