/**
 * A small text extractor for the PDFs LibreOffice writes (classic xref, Flate streams, fonts with
 * ToUnicode maps), so that tests can read a converted report without poppler's pdftotext. It reads
 * what a test needs — page sizes, the fonts used, and the text of each page as lines from top to
 * bottom — and nothing more; it is not a general PDF parser.
 */
import zlib from 'node:zlib';

/** One string the page shows at one place, in one font. */
export interface PdfTextPiece {
  /** Left end, in points from the left of the page. */
  x: number;
  text: string;
  /** Font size in points. */
  size: number;
  /** BaseFont name, subset prefix removed. */
  font: string;
}

export interface PdfTextLine {
  /** Baseline, in points from the bottom of the page. */
  y: number;
  /** Left end of the line, in points. */
  x: number;
  text: string;
  /** The pieces of the line, left to right. */
  pieces: PdfTextPiece[];
}

export interface PdfPageText {
  /** MediaBox width and height in points. */
  width: number;
  height: number;
  lines: PdfTextLine[];
}

export interface PdfText {
  pages: PdfPageText[];
  /** BaseFont names of every font the pages use (subset prefixes removed). */
  fonts: string[];
}

interface PdfObject {
  dict: string;
  stream: Buffer | undefined;
}

type Token =
  | { kind: 'num'; value: number }
  | { kind: 'name' | 'op'; value: string }
  | { kind: 'str'; value: Buffer }
  | { kind: 'arr'; value: Token[] };

function readObjects(bytes: Buffer): Map<number, PdfObject> {
  const text = bytes.toString('latin1');
  const objects = new Map<number, PdfObject>();
  /** A stream's /Length: a number, or a reference to an object that holds one. */
  const lengthOf = (dict: string): number | undefined => {
    const indirect = /\/Length\s+(\d+)\s+\d+\s+R/.exec(dict);
    if (indirect) {
      const held = new RegExp(`(?:^|\\s)${indirect[1]}\\s+0\\s+obj\\s*(\\d+)\\s*endobj`).exec(text);
      return held ? Number(held[1]) : undefined;
    }
    const direct = /\/Length\s+(\d+)/.exec(dict);
    return direct ? Number(direct[1]) : undefined;
  };
  const header = /(\d+)\s+\d+\s+obj\b/g;
  for (let match = header.exec(text); match; match = header.exec(text)) {
    const start = match.index + match[0].length;
    const streamAt = text.slice(start, start + 4096).search(/\bstream\r?\n|endobj/);
    const isStream = streamAt >= 0 && text.startsWith('stream', start + streamAt);
    if (!isStream) {
      const end = text.indexOf('endobj', start);
      if (end < 0) break;
      objects.set(Number(match[1]), { dict: text.slice(start, end), stream: undefined });
      header.lastIndex = end;
      continue;
    }
    const dict = text.slice(start, start + streamAt);
    const dataStart = text.indexOf('\n', start + streamAt) + 1;
    const length = lengthOf(dict) ?? text.indexOf('endstream', dataStart) - dataStart;
    const raw = bytes.subarray(dataStart, dataStart + length);
    const stream = /\/FlateDecode/.test(dict) ? zlib.inflateSync(raw) : raw;
    objects.set(Number(match[1]), { dict, stream });
    header.lastIndex = dataStart + length;
  }
  return objects;
}

const ref = (dict: string, key: string): number | undefined => {
  const match = new RegExp(`/${key}\\s+(\\d+)\\s+\\d+\\s+R`).exec(dict);
  return match ? Number(match[1]) : undefined;
};

/** The code → text map of a ToUnicode CMap, and the byte length of its codes. */
function readToUnicode(cmap: string): { bytes: number; map: Map<number, string> } {
  const map = new Map<number, string>();
  const hexText = (hex: string) => Buffer.from(hex, 'hex').swap16().toString('utf16le');
  const range = /begincodespacerange\s*<([0-9A-Fa-f]+)>/.exec(cmap);
  const bytes = range ? range[1]!.length / 2 : 2;
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const [, code, dst] of block[1]!.matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>/g)) {
      map.set(parseInt(code!, 16), hexText(dst!));
    }
  }
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const [, lo, hi, dst] of block[1]!.matchAll(
      /<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]*>|\[[^\]]*\])/g,
    )) {
      const from = parseInt(lo!, 16);
      const to = parseInt(hi!, 16);
      if (dst!.startsWith('[')) {
        const list = [...dst!.matchAll(/<([0-9A-Fa-f]*)>/g)].map((m) => hexText(m[1]!));
        for (let c = from; c <= to; c++) map.set(c, list[c - from] ?? '');
      } else {
        const base = Buffer.from(dst!.slice(1, -1), 'hex');
        for (let c = from; c <= to; c++) {
          const next = Buffer.from(base);
          next.writeUInt16BE(base.readUInt16BE(base.length - 2) + (c - from), base.length - 2);
          map.set(c, next.swap16().toString('utf16le'));
        }
      }
    }
  }
  return { bytes, map };
}

function tokenize(content: string): Token[] {
  const tokens: Token[] = [];
  const stack: Token[][] = [tokens];
  let i = 0;
  const push = (token: Token) => stack.at(-1)!.push(token);
  while (i < content.length) {
    const c = content[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '%') {
      while (i < content.length && content[i] !== '\n') i++;
    } else if (c === '[') {
      const array: Token[] = [];
      push({ kind: 'arr', value: array });
      stack.push(array);
      i++;
    } else if (c === ']') {
      stack.pop();
      i++;
    } else if (c === '<' && content[i + 1] === '<') {
      push({ kind: 'op', value: '<<' });
      i += 2;
    } else if (c === '>' && content[i + 1] === '>') {
      push({ kind: 'op', value: '>>' });
      i += 2;
    } else if (c === '<') {
      const end = content.indexOf('>', i);
      push({ kind: 'str', value: Buffer.from(content.slice(i + 1, end).replace(/\s/g, ''), 'hex') });
      i = end + 1;
    } else if (c === '(') {
      const out: number[] = [];
      let depth = 1;
      i++;
      while (i < content.length && depth > 0) {
        const ch = content[i]!;
        if (ch === '\\') {
          const next = content[i + 1]!;
          const octal = /^[0-7]{1,3}/.exec(content.slice(i + 1, i + 4));
          if (octal) {
            out.push(parseInt(octal[0], 8));
            i += 1 + octal[0].length;
            continue;
          }
          const escapes: Record<string, number> = { n: 10, r: 13, t: 9, b: 8, f: 12 };
          out.push(escapes[next] ?? next.charCodeAt(0));
          i += 2;
          continue;
        }
        if (ch === '(') depth++;
        if (ch === ')') depth--;
        if (depth > 0) out.push(ch.charCodeAt(0));
        i++;
      }
      push({ kind: 'str', value: Buffer.from(out) });
    } else if (c === '/') {
      const match = /^\/[^\s/[\]()<>{}%]*/.exec(content.slice(i))!;
      push({ kind: 'name', value: match[0].slice(1) });
      i += match[0].length;
    } else if (/[-+.\d]/.test(c)) {
      const match = /^[-+]?(\d+\.?\d*|\.\d+)/.exec(content.slice(i));
      if (!match) {
        i++;
        continue;
      }
      push({ kind: 'num', value: Number(match[0]) });
      i += match[0].length;
    } else {
      const match = /^[^\s/[\]()<>{}%]+/.exec(content.slice(i))!;
      push({ kind: 'op', value: match[0] });
      i += match[0].length;
    }
  }
  return tokens;
}

type Matrix = [number, number, number, number, number, number];
const multiply = (m: Matrix, n: Matrix): Matrix => [
  m[0] * n[0] + m[1] * n[2],
  m[0] * n[1] + m[1] * n[3],
  m[2] * n[0] + m[3] * n[2],
  m[2] * n[1] + m[3] * n[3],
  m[4] * n[0] + m[5] * n[2] + n[4],
  m[4] * n[1] + m[5] * n[3] + n[5],
];

/** Reads the pages, fonts and text lines of a PDF. */
export function readPdfText(bytes: Buffer): PdfText {
  const objects = readObjects(bytes);
  const fontNames = new Set<string>();
  const pages: PdfPageText[] = [];
  const maps = new Map<number, ReturnType<typeof readToUnicode>>();

  const fontsOf = (dict: string): Map<string, number> => {
    let resources = dict;
    const resourcesRef = ref(dict, 'Resources');
    if (resourcesRef !== undefined) resources = objects.get(resourcesRef)?.dict ?? '';
    let fonts = /\/Font\s*<<([^>]*)>>/.exec(resources)?.[1];
    const fontsRef = ref(resources, 'Font');
    if (fonts === undefined && fontsRef !== undefined) fonts = objects.get(fontsRef)?.dict ?? '';
    return new Map(
      [...(fonts ?? '').matchAll(/\/([^\s/]+)\s+(\d+)\s+\d+\s+R/g)].map((m) => [m[1]!, Number(m[2])]),
    );
  };

  const ordered = [...objects.entries()].filter(([, o]) => /\/Type\s*\/Page\b(?!s)/.test(o.dict));
  // Pages in the order of the page tree: LibreOffice lists them in /Kids of one /Pages object.
  const kids = [...objects.values()].find((o) => /\/Type\s*\/Pages\b/.test(o.dict))?.dict;
  const order = kids
    ? [...(/\/Kids\s*\[([^\]]*)\]/.exec(kids)?.[1] ?? '').matchAll(/(\d+)\s+\d+\s+R/g)].map((m) =>
        Number(m[1]),
      )
    : [];
  ordered.sort(([a], [b]) => order.indexOf(a) - order.indexOf(b));

  for (const [, page] of ordered) {
    const box = /\/MediaBox\s*\[\s*([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s*\]/.exec(page.dict);
    const width = box ? Number(box[3]) - Number(box[1]) : 0;
    const height = box ? Number(box[4]) - Number(box[2]) : 0;
    const fonts = fontsOf(page.dict);
    const contentRefs =
      /\/Contents\s*\[([^\]]*)\]/.exec(page.dict)?.[1] ?? `${ref(page.dict, 'Contents') ?? ''} 0 R`;
    const content = [...contentRefs.matchAll(/(\d+)\s+\d+\s+R/g)]
      .map((m) => objects.get(Number(m[1]))?.stream?.toString('latin1') ?? '')
      .join('\n');

    const pieces: (PdfTextPiece & { y: number })[] = [];
    let ctm: Matrix = [1, 0, 0, 1, 0, 0];
    const saved: Matrix[] = [];
    let tm: Matrix = [1, 0, 0, 1, 0, 0];
    let tlm: Matrix = [1, 0, 0, 1, 0, 0];
    let leading = 0;
    let font: ReturnType<typeof readToUnicode> | undefined;
    let fontName = '';
    let size = 0;
    const operands: Token[] = [];
    const decode = (value: Buffer) => {
      if (!font) return '';
      let out = '';
      for (let k = 0; k + font.bytes <= value.length; k += font.bytes) {
        out += font.map.get(value.readUIntBE(k, font.bytes)) ?? '';
      }
      return out;
    };
    const show = (text: string) => {
      const m = multiply(tm, ctm);
      pieces.push({ x: m[4], y: m[5], text, size: size * Math.hypot(m[2], m[3]), font: fontName });
    };
    const num = (k: number) => (operands[k] as { value: number }).value;
    for (const token of tokenize(content)) {
      if (token.kind !== 'op') {
        operands.push(token);
        continue;
      }
      switch (token.value) {
        case 'q':
          saved.push(ctm);
          break;
        case 'Q':
          ctm = saved.pop() ?? [1, 0, 0, 1, 0, 0];
          break;
        case 'cm':
          ctm = multiply([num(0), num(1), num(2), num(3), num(4), num(5)], ctm);
          break;
        case 'BT':
          tm = [1, 0, 0, 1, 0, 0];
          tlm = [1, 0, 0, 1, 0, 0];
          break;
        case 'Tf': {
          const id = fonts.get((operands[0] as { value: string }).value);
          size = num(1);
          font = undefined;
          fontName = '';
          if (id !== undefined) {
            const fontDict = objects.get(id)?.dict ?? '';
            const base = /\/BaseFont\s*\/([^\s/>]+)/.exec(fontDict)?.[1];
            fontName = base?.replace(/^[A-Z]{6}\+/, '') ?? '';
            if (fontName) fontNames.add(fontName);
            const toUnicode = ref(fontDict, 'ToUnicode');
            if (toUnicode !== undefined) {
              if (!maps.has(toUnicode)) {
                maps.set(toUnicode, readToUnicode(objects.get(toUnicode)?.stream?.toString('latin1') ?? ''));
              }
              font = maps.get(toUnicode);
            }
          }
          break;
        }
        case 'TL':
          leading = num(0);
          break;
        case 'Tm':
          tm = [num(0), num(1), num(2), num(3), num(4), num(5)];
          tlm = tm;
          break;
        case 'Td':
        case 'TD':
          if (token.value === 'TD') leading = -num(1);
          tlm = multiply([1, 0, 0, 1, num(0), num(1)], tlm);
          tm = tlm;
          break;
        case 'T*':
          tlm = multiply([1, 0, 0, 1, 0, -leading], tlm);
          tm = tlm;
          break;
        case 'Tj':
        case "'":
        case '"': {
          if (token.value !== 'Tj') {
            tlm = multiply([1, 0, 0, 1, 0, -leading], tlm);
            tm = tlm;
          }
          const str = operands.at(-1);
          if (str?.kind === 'str') show(decode(str.value));
          break;
        }
        case 'TJ': {
          const array = operands[0];
          if (array?.kind === 'arr') {
            show(array.value.map((t) => (t.kind === 'str' ? decode(t.value) : '')).join(''));
          }
          break;
        }
      }
      operands.length = 0;
    }

    // Pieces whose baselines lie within 2 pt of each other make one line, read left to right.
    pieces.sort((a, b) => b.y - a.y);
    const groups: (typeof pieces)[] = [];
    for (const piece of pieces) {
      const group = groups.at(-1);
      if (group && Math.abs(group[0]!.y - piece.y) < 2) group.push(piece);
      else groups.push([piece]);
    }
    const lines = groups.map((group): PdfTextLine => {
      group.sort((a, b) => a.x - b.x);
      return {
        y: group[0]!.y,
        x: group[0]!.x,
        text: group.map((p) => p.text).join(''),
        pieces: group.map(({ y: _y, ...piece }) => piece),
      };
    });
    pages.push({ width, height, lines });
  }
  return { pages, fonts: [...fontNames].sort() };
}
