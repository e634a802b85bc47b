/**
 * The HTML report from a recorded run replayed into its reporter: one well-formed,
 * self-contained page (no external asset) with totals, the timeline, failures with their
 * output, flaky, quarantined and slowest tests, everything from tests escaped.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { HtmlReporter, renderHtmlReport } from '../../src/report/html-report.js'
import { replay } from '../../src/report/replay.js'
import type { RunEvent, TestOutcome } from '../../src/runner/events.js'
import { makeTempDir } from '../helpers/cli.js'
import { ioOutput, recordedRun, summary, tests } from './recorded-run.js'

let temp: { dir: string; remove: () => void }
beforeEach(() => {
  temp = makeTempDir()
})
afterEach(() => temp.remove())

async function page(events: RunEvent[] = recordedRun()): Promise<string> {
  const path = join(temp.dir, 'deep', 'report.html')
  await replay(events, [new HtmlReporter({ path })])
  return readFileSync(path, 'utf8')
}

test('the page is well-formed and fetches nothing', async () => {
  const html = await page()
  expect(html.startsWith('<!DOCTYPE html>\n<html')).toBe(true)
  expect(XMLValidator.validate(html)).toBe(true)
  // Self-contained: no script, no stylesheet or image from elsewhere.
  expect(html).not.toMatch(/<script|<link|<img|src=|url\(|@import/i)
  expect(html).toContain('<style>')
})

test('totals, failures with output, flaky and slowest tests', async () => {
  const html = await page()
  const doc = new XMLParser({ ignoreAttributes: false }).parse(html) as {
    html: { body: { h2: string[] } }
  }
  expect(doc.html.body.h2).toEqual([
    'Timeline',
    'Failures (3)',
    'Flaky (1)',
    'Slowest tests',
    'Workers'
  ])
  expect(html).toContain('<h1 class="fail">Failed: squall jest</h1>')
  expect(html).toMatch(
    /<th>passed<\/th><th>failed<\/th>.*<td class="n">3<\/td><td class="n">1<\/td>/
  )
  // The failure's message and output, escaped, colours and bell removed.
  expect(html).toContain('reads &lt;file&gt; &amp; &quot;quotes&quot;')
  expect(html).toContain('&lt;tag attr=&quot;v&quot;&gt; &amp; &#39;apos&#39;')
  expect(html).not.toContain('<tag attr')
  expect(html).not.toContain('\u001b')
  expect(html).not.toContain('\u0007')
  expect(ioOutput).toContain('<tag')
  expect(html).toContain('slow line 30')
  expect(html).toContain('connects')
  expect(html).toContain('failed 1 of 2 attempts: ECONNRESET')
})

test('the timeline is an inline SVG: a band per worker, a bar per attempt a worker ran', async () => {
  const html = await page()
  const svg = html.slice(html.indexOf('<svg'), html.indexOf('</svg>') + 6)
  expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"')
  const labels = [...svg.matchAll(/<text x="4" [^>]*class="w">([^<]*)<\/text>/g)].map(m => m[1])
  expect(labels).toEqual(['w-1', 'w-2', 'w-3'])
  const bars = [...svg.matchAll(/<rect [^>]*class="(ok|bad)"><title>([^<]*)<\/title>/g)]
  // Six attempts ran on a worker (the seventh could not start); four did not pass.
  expect(bars).toHaveLength(6)
  expect(bars.filter(b => b[1] === 'bad')).toHaveLength(4)
  expect(bars.map(b => b[2])).toContain('src/io.test.ts (attempt 2): 1.0s → 1.3s, failed')
})

test('quarantined tests get a section of their own and leave the failures', () => {
  const marked: TestOutcome[] = tests.map(t =>
    t.id === 'io::reads' ? { ...t, quarantined: true } : t
  )
  const html = renderHtmlReport(
    {
      ...summary,
      failed: 0,
      quarantine: {
        tests: 1,
        failed: 1,
        removeAfter: 10,
        entries: [
          { id: 'io::reads', tests: 1, streak: 0 },
          { id: 'net::old', tests: 0, streak: 12 }
        ]
      }
    },
    marked,
    'jest',
    undefined
  )
  expect(XMLValidator.validate(html)).toBe(true)
  expect(html).toContain('<h2>Failures (2)</h2>')
  expect(html).toContain('<h2>Quarantined (1)</h2>')
  expect(html).toMatch(
    /<td>reads &lt;file&gt; &amp; &quot;quotes&quot;<\/td><td class="failed">failed<\/td><td>expected 2, got 3<\/td>/
  )
  expect(html).toContain('may leave the quarantine: <code>net::old</code>')
})

test('a run that never finished writes no page', async () => {
  const path = join(temp.dir, 'none.html')
  await replay(recordedRun().slice(0, -1), [new HtmlReporter({ path })])
  expect(() => readFileSync(path)).toThrow()
})
