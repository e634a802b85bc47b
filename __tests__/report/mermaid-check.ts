/**
 * A checker for the Mermaid gantt subset squall writes, after Mermaid's own gantt grammar
 * (jison lexer): front matter, the `gantt` keyword, directives, sections, and task lines whose
 * text holds no `:` `;` `#` and whose data is `[crit, ]id, start, end` in ms. Returns the
 * problems found (none for a valid chart) and the sections with their tasks.
 */
export interface GanttShape {
  problems: string[]
  sections: { name: string; tasks: { name: string; crit: boolean; start: number; end: number }[] }[]
}

const directive = /^ {2}(title [^\n]+|dateFormat x|axisFormat %(H:%)?M:%S|todayMarker off)$/
const section = /^ {2}section ([^\n:;#%]+)$/
const task = /^ {4}([^:;#%\n]+?) :(crit, )?(t\d+), (\d+), (\d+)$/
const statementWords =
  /^(title|section|dateformat|axisformat|tickinterval|excludes|includes|todaymarker|click|call|acctitle|accdescr|weekday)\b/i

export function checkGantt(markdown: string): GanttShape {
  const problems: string[] = []
  const open = markdown.indexOf('```mermaid\n')
  if (open < 0) return { problems: ['no ```mermaid block'], sections: [] }
  const close = markdown.indexOf('\n```', open + 11)
  if (close < 0) return { problems: ['the ```mermaid block is not closed'], sections: [] }
  const lines = markdown.slice(open + 11, close).split('\n')
  const sections: GanttShape['sections'] = []
  let i = 0
  if (lines[0] === '---') {
    const end = lines.indexOf('---', 1)
    if (end < 0) problems.push('front matter is not closed')
    i = end + 1
  }
  if (lines[i] !== 'gantt') problems.push(`expected 'gantt', got ${JSON.stringify(lines[i])}`)
  const ids = new Set<string>()
  for (const line of lines.slice(i + 1)) {
    const s = section.exec(line)
    const t = task.exec(line)
    if (directive.test(line)) {
      if (sections.length > 0) problems.push(`directive after the first section: ${line}`)
    } else if (s) sections.push({ name: (s[1] as string).trim(), tasks: [] })
    else if (t) {
      const [, name = '', crit, id = '', start = '', end = ''] = t
      if (statementWords.test(name.trim())) problems.push(`task text reads as a statement: ${line}`)
      if (ids.has(id)) problems.push(`duplicate task id ${id}`)
      ids.add(id)
      if (Number(end) <= Number(start)) problems.push(`task ends before it starts: ${line}`)
      const current = sections[sections.length - 1]
      if (!current) problems.push(`task outside a section: ${line}`)
      else
        current.tasks.push({
          name,
          crit: crit !== undefined,
          start: Number(start),
          end: Number(end)
        })
    } else problems.push(`not a gantt line: ${JSON.stringify(line)}`)
  }
  return { problems, sections }
}
