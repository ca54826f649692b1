/** The folder holding clones, settings and caches: per OS, overridable with LOCKSTEP_DATA_DIR (tests, portable use). */
import envPaths from 'env-paths';

export function dataDir(): string {
  return process.env.LOCKSTEP_DATA_DIR ?? envPaths('lockstep', { suffix: '' }).data;
}
