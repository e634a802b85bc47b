/** Artifact names of a cluster and what a signed URL says about its expiry. */
import { checkClusterId } from '../../../src/protocol/cluster-id.js'
import {
  closedName,
  downName,
  isStreamOrListen,
  linkIdOfUp,
  listenName,
  segmentName,
  upName
} from '../../../src/transport/artifact/names.js'
import { rolloverTime, signedUrlExpiry } from '../../../src/transport/artifact/sas.js'

test('names carry the cluster id; up streams parse back to their link id', () => {
  expect(listenName('123-1')).toBe('squall-123-1-listen')
  expect(closedName('123-1')).toBe('squall-123-1-closed')
  expect(upName('123-1', 'ab12')).toBe('squall-123-1-ab12-up')
  expect(downName('123-1', 'ab12')).toBe('squall-123-1-ab12-down')
  expect(segmentName('s', 0)).toBe('s')
  expect(segmentName('s', 2)).toBe('s.2')
  expect(linkIdOfUp('123-1', upName('123-1', 'ab12'))).toBe('ab12')
  // Segments, down streams and other clusters (even with a shared prefix) are not new links.
  expect(linkIdOfUp('123-1', `${upName('123-1', 'ab12')}.1`)).toBeUndefined()
  expect(linkIdOfUp('123-1', downName('123-1', 'ab12'))).toBeUndefined()
  expect(linkIdOfUp('123', upName('123-1', 'ab12'))).toBeUndefined()
  expect(linkIdOfUp('123-1', upName('123', 'ab12'))).toBeUndefined()
})

test('cluster ids that cannot go into artifact names are refused with the value', () => {
  expect(() => checkClusterId('run 1')).toThrow(/'run 1' is not valid/)
  expect(() => checkClusterId('a/b')).toThrow(/not valid/)
  expect(() => checkClusterId('')).toThrow(/not valid/)
  expect(() => checkClusterId('1234-2')).not.toThrow()
})

test('rollover is due half-way to the URL expiry; no expiry, no rollover', () => {
  const url = 'http://127.0.0.1:1/a/b?sv=2023-11-03&se=2030-01-01T01%3A00%3A00Z&sig=x'
  const expiry = Date.parse('2030-01-01T01:00:00Z')
  expect(signedUrlExpiry(url)).toBe(expiry)
  const issued = expiry - 3600_000
  expect(rolloverTime(url, issued)).toBe(issued + 1800_000)
  expect(rolloverTime('http://127.0.0.1:1/a/b?sig=x', issued)).toBe(Infinity)
  expect(signedUrlExpiry('not a url')).toBeUndefined()
})

test('what the broker deletes at the end: listen and streams of its cluster, never the marker', () => {
  expect(isStreamOrListen('123-1', listenName('123-1'))).toBe(true)
  expect(isStreamOrListen('123-1', upName('123-1', 'ab12'))).toBe(true)
  expect(isStreamOrListen('123-1', segmentName(downName('123-1', 'ab12'), 3))).toBe(true)
  expect(isStreamOrListen('123-1', closedName('123-1'))).toBe(false)
  // Another cluster whose id extends this one's, and artifacts that are not squall's.
  expect(isStreamOrListen('123-1', upName('123-1-x', 'ab12'))).toBe(false)
  expect(isStreamOrListen('123-1', listenName('123-1-x'))).toBe(false)
  expect(isStreamOrListen('123-1', 'squall-123-1-report')).toBe(false)
  expect(isStreamOrListen('123-1', 'coverage')).toBe(false)
})
