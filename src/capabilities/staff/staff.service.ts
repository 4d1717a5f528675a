import type { Database } from '../../platform/db/index.js';

export function createStaffService(_db: Database, _options: { publicUrl: string }) {
  return {};
}
export type StaffService = ReturnType<typeof createStaffService>;
