/**
 * Where squall's pytest plugin (`python/squall_pytest.py`) lives, and the environment that
 * lets `python3 -m pytest -p squall_pytest` find it. The file sits next to this module in the
 * source tree and next to each bundle in dist/ (scripts/build.mjs copies it), so the same
 * relative path works from both.
 */
import { existsSync } from 'node:fs'
import { delimiter, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The plugin's module name, for `-p`. */
export const PYTEST_PLUGIN = 'squall_pytest'

/** The folder holding `squall_pytest.py`; throws when squall was installed without it. */
export function pytestPluginDir(): string {
  const dir = join(dirname(fileURLToPath(import.meta.url)), 'python')
  if (!existsSync(join(dir, `${PYTEST_PLUGIN}.py`))) {
    throw new Error(`squall's pytest plugin is missing: expected ${dir}/${PYTEST_PLUGIN}.py`)
  }
  return dir
}

/**
 * `base` with the plugin's folder first on PYTHONPATH and squall's own variables set. The
 * plugin takes its folder and the variables back out before any test runs.
 */
export function pytestPluginEnv(
  base: NodeJS.ProcessEnv,
  vars: Record<string, string>
): NodeJS.ProcessEnv {
  const path = base.PYTHONPATH
    ? `${pytestPluginDir()}${delimiter}${base.PYTHONPATH}`
    : pytestPluginDir()
  return { ...base, ...vars, PYTHONPATH: path }
}
