import type { Config } from '../../config.js';
import type { Database } from '../db/index.js';
import type { Services } from '../../services.js';

// Placeholder replaced by the demo seed work in progress.
export async function seedDemo(_db: Database, _services: Services, _config: Config) {
  return { name: '', created: false };
}
export function demoSignIns(): { email: string; description: string }[] {
  return [];
}
