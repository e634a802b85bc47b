/** Text made safe for XML 1.0: what escaping alone cannot fix. The builder escapes `<&"'>`. */
import { stripAnsi } from './format.js'

// Everything outside XML 1.0's Char production: C0 controls but tab/newline/CR, lone
// surrogates (the `u` flag makes the range match only unpaired ones), U+FFFE and U+FFFF.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const notXmlChar = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ud800-\udfff\ufffe\uffff]/gu

/** Element text: colours removed, characters XML cannot carry shown as `\xNN` (or U+FFFD). */
export function xmlText(text: string | undefined): string {
  return stripAnsi(text ?? '').replace(notXmlChar, ch => {
    const code = ch.charCodeAt(0)
    return code < 0x20 ? `\\x${code.toString(16).padStart(2, '0')}` : '\ufffd'
  })
}

/** Attribute text: as xmlText, on one line (parsers turn newlines in attributes into spaces anyway). */
export function xmlAttribute(text: string | undefined): string {
  return xmlText(text)
    .replace(/\s*[\r\n]+\s*/g, ' ')
    .trim()
}
