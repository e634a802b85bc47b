/** Text made safe inside HTML (and XHTML): escaped, colours removed, no characters XML refuses. */
import { xmlText } from './xml-text.js'

/** Escapes `& < > " '` after xmlText has made the characters valid. For text and attributes. */
export function html(text: string | number | undefined): string {
  return xmlText(String(text ?? ''))
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}
