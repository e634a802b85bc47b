/** Reads `pytest --collect-only -q` output into node ids, and node ids into test items. Pure. */
import type { TestItem } from '../core/framework.js'

/**
 * Node ids printed by `pytest --collect-only -q`: one per line up to the first blank line
 * (then come the summary and any warnings). Ids may hold spaces (`test_x[a b]`), so lines are
 * taken whole.
 */
export function parseCollectOutput(stdout: string): string[] {
  const ids: string[] = []
  for (const line of stdout.split(/\r?\n/)) {
    if (line.trim() === '') {
      if (ids.length > 0) break
      continue
    }
    // Summary lines only ever come after the blank line; these guard odd plugins' output.
    if (
      /^(=+ |no tests (collected|ran)|\d+ tests? collected|\d+\/\d+ tests? collected)/.test(line)
    ) {
      if (ids.length > 0) break
      continue
    }
    ids.push(line.replace(/\s+$/, ''))
  }
  return [...new Set(ids)]
}

/** A test item for a node id: the file is what comes before the first `::`. */
export function pytestItem(nodeId: string): TestItem {
  const sep = nodeId.indexOf('::')
  const file = sep >= 0 ? nodeId.slice(0, sep) : nodeId
  const name = sep >= 0 ? nodeId.slice(sep + 2) : nodeId
  return { id: nodeId, name, file }
}

/**
 * The (classname, name) pair pytest's JUnit report uses for a node id; the same rules as
 * pytest's `mangle_test_address`: the path part before `[` splits on `::`, the file part
 * becomes a dotted module without `.py`, and the parameters stay on the last name.
 */
export function junitAddress(nodeId: string): { classname: string; name: string } {
  const bracket = nodeId.indexOf('[')
  const path = bracket >= 0 ? nodeId.slice(0, bracket) : nodeId
  const params = bracket >= 0 ? nodeId.slice(bracket) : ''
  const names = path.split('::')
  names[0] = (names[0] as string).replace(/\//g, '.').replace(/\.py$/, '')
  const last = `${names.pop() as string}${params}`
  return { classname: names.join('.'), name: last }
}
