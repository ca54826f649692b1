/**
 * How a lock file's bytes become text and back. Override files are edited in place and an edit
 * must change only what it edits: a file that is not valid UTF-8 (old Latin-1 comments) is read
 * as Latin-1, byte for byte, and written back in Latin-1, instead of turning each such byte into
 * U+FFFD. A UTF-8 byte order mark stays in the text, so it is written back too.
 */
import { AppError } from '../../../shared/errors';

export type FileEncoding = 'utf8' | 'latin1';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The encoding a file's bytes are in: UTF-8 when they are valid UTF-8, else Latin-1. */
export function encodingOf(data: Uint8Array): FileEncoding {
  // Plain ASCII, the common case, needs no decoder.
  let ascii = true;
  for (let i = 0; i < data.length; i++) {
    if (data[i] > 0x7f) {
      ascii = false;
      break;
    }
  }
  if (ascii) return 'utf8';
  try {
    strictUtf8.decode(data);
    return 'utf8';
  } catch {
    return 'latin1';
  }
}

/** The text of a file's bytes, in the encoding `encodingOf` finds. */
export function decodeFileText(data: Uint8Array): string {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString(encodingOf(data));
}

/** A text's bytes in `encoding`; a character Latin-1 cannot hold is refused, naming the file and line. */
export function encodeFileText(text: string, encoding: FileEncoding, file: string): Buffer {
  if (encoding === 'latin1') {
    for (let i = 0; i < text.length; i++) {
      if (text.charCodeAt(i) > 0xff) {
        const line = text.slice(0, i).split('\n').length;
        const ch = String.fromCodePoint(text.codePointAt(i)!);
        throw new AppError('bad-input', `${file}:${line}: the file is Latin-1 and cannot hold ${JSON.stringify(ch)}; use only Latin-1 characters there, or convert the file to UTF-8 in its own commit`, { file, line });
      }
    }
  }
  return Buffer.from(text, encoding);
}
