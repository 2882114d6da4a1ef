/**
 * Reads a PDF with poppler-utils, for tests of the documents the app writes: pdfinfo for the pages
 * and their size, pdftotext for the text (-layout) and for the lines with their boxes (-bbox-layout),
 * pdftohtml -xml for the font of each run of text, pdffonts for the fonts the file holds.
 * Fails (never skips) when poppler is missing: CI installs it.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A line of text (its words joined by spaces) and its box, in points from the page's top left. */
export type PdfLine = { text: string; xMin: number; yMin: number; xMax: number; yMax: number };

export interface PdfPage {
  /** In points, as pdfinfo gives them. */
  width: number;
  height: number;
  /** The page's text as `pdftotext -layout` lays it out. */
  text: string;
  /** Top to bottom, then left to right; each cell of a table row is a line of its own. */
  lines: PdfLine[];
  /** Runs of text in one font (pdftohtml's): font name without subset prefix, size in whole points. */
  runs: { text: string; font: string; size: number }[];
}

export interface Pdf {
  pages: PdfPage[];
  /** Every font of the file, as pdffonts lists it (subset prefix removed). */
  fonts: { name: string; embedded: boolean; toUnicode: boolean }[];
}

async function poppler(tool: string, ...args: string[]): Promise<string> {
  try {
    return (await run(tool, args, { maxBuffer: 64 << 20, timeout: 30_000 })).stdout;
  } catch (error) {
    const message = `${tool} failed (poppler-utils must be installed): ${(error as Error).message}`;
    throw new Error(message, { cause: error });
  }
}

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
/** The text of an XML fragment: tags dropped, entities decoded (poppler writes no numeric ones). */
const textOf = (xml: string) =>
  xml.replace(/<[^>]*>/g, '').replace(/&(\w+);/g, (whole, name: string) => entities[name] ?? whole);
const withoutSubset = (font: string) => font.replace(/^[A-Z]{6}\+/, '');
const LINE = /<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([\s\S]*?)<\/line>/g;
const WORD = /<word[^>]*>([^<]*)<\/word>/g;
const TEXT = /<text\b[^>]*\bfont="(\d+)"[^>]*>([\s\S]*?)<\/text>/g;
const FONTSPEC = /<fontspec id="(\d+)" size="([\d.]+)" family="([^"]*)"/g;
/** A row of pdffonts: name, type, encoding, emb, sub, uni, object ID. */
const FONT_ROW = /^(\S+)\s.*\s(yes|no)\s+(?:yes|no)\s+(yes|no)\s+\d+\s+\d+$/gm;

export async function readPdf(file: string): Promise<Pdf> {
  const [info, layout, bbox, xml, fonts] = await Promise.all([
    poppler('pdfinfo', '-f', '1', '-l', '100000', file),
    poppler('pdftotext', '-layout', '-enc', 'UTF-8', file, '-'),
    poppler('pdftotext', '-bbox-layout', '-enc', 'UTF-8', file, '-'),
    poppler('pdftohtml', '-xml', '-stdout', '-i', '-q', '-zoom', '1', '-fontfullname', file),
    poppler('pdffonts', file),
  ]);
  const sizes = [...info.matchAll(/^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts/gm)];
  const texts = layout.split('\f').slice(0, -1);
  const boxes = bbox.split(/<page\b/).slice(1);
  const xmlPages = xml.split(/<page\b/).slice(1);
  const pageCount = Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]);
  if ([sizes, texts, boxes, xmlPages].some((pages) => pages.length !== pageCount)) {
    throw new Error(`poppler's tools disagree on the page count of ${file}`);
  }
  const specs = new Map<string, { font: string; size: number }>();
  for (const [, id, size, font] of xml.matchAll(FONTSPEC))
    specs.set(id!, { font: withoutSubset(font!), size: +size! });
  const pages = sizes.map(([, width, height], index): PdfPage => {
    const lines = [...boxes[index]!.matchAll(LINE)].map(([, xMin, yMin, xMax, yMax, words]) => {
      const text = [...words!.matchAll(WORD)].map((word) => textOf(word[1]!)).join(' ');
      return { text, xMin: +xMin!, yMin: +yMin!, xMax: +xMax!, yMax: +yMax! };
    });
    lines.sort((a, b) => a.yMin - b.yMin || a.xMin - b.xMin);
    const runs = [...xmlPages[index]!.matchAll(TEXT)].map(([, id, text]) => ({
      text: textOf(text!),
      ...specs.get(id!)!,
    }));
    return { width: +width!, height: +height!, text: texts[index]!, lines, runs };
  });
  const fontList = [...fonts.matchAll(FONT_ROW)].map(([, name, emb, uni]) => ({
    name: withoutSubset(name!),
    embedded: emb === 'yes',
    toUnicode: uni === 'yes',
  }));
  return { pages, fonts: fontList };
}
