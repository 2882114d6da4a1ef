/**
 * The layout of Chinese official documents (GB/T 9704-2012) as `docx` building blocks: A4, a text
 * area of 156 × 225 mm holding 22 lines of 28 characters, 3号仿宋 body, 2号小标宋 title, headings in
 * 黑体 and 楷体, page numbers “— 1 —” in 4号宋体 (odd pages right, even pages left), and the
 * issuing org unit and date at the end. Every report is assembled from these blocks.
 */
import {
  AlignmentType,
  Document,
  Footer,
  HeadingLevel,
  LineRuleType,
  Packer,
  PageNumber,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  VerticalAlignTable,
  WidthType,
  type FileChild,
  type IFontAttributesProperties,
} from 'docx';
import { officialFonts, reportCreator } from '../../locales/report.zh-CN.ts';

type OfficialFont = (typeof officialFonts)[keyof typeof officialFonts];

const twips = (mm: number) => Math.round((mm * 1440) / 25.4);
/** Font sizes in half-points: 2号 22 pt, 3号 16 pt, 4号 14 pt. */
const size = { title: 44, body: 32, small: 28 } as const;

const page = {
  width: twips(210),
  height: twips(297),
  top: twips(37),
  bottom: twips(35),
  left: twips(28),
  right: twips(26),
};
const textWidth = page.width - page.left - page.right;
const LINES_PER_PAGE = 22;
const CHARS_PER_LINE = 28;
/** Fixed line spacing: 22 lines fill the 225 mm text area (579 twips, the customary “29 pt”). */
const linePitch = Math.floor((page.height - page.top - page.bottom) / LINES_PER_PAGE);
/** One character of 3号 type (16 pt), the unit of indents. */
const CHAR = size.body * 10;
/**
 * Characters are set 0.25 pt closer than their 16 pt so that 28 fit the 156 mm line. A document
 * grid would do the same in Word, but LibreOffice reads the grid's pitch against a 12 pt default.
 */
const characterSpacing = Math.floor(textWidth / CHARS_PER_LINE) - CHAR;
/** Page numbers: 4号, their line's top 7 mm below the text area. */
const pageNumberLine = size.small * 10;
const footerDistance = page.bottom - twips(7) - pageNumberLine;

/** One font for every script of a run, so that Word and LibreOffice both pick it for Chinese and digits. */
function fontOf(font: OfficialFont): IFontAttributesProperties {
  return { ascii: font.name, hAnsi: font.name, eastAsia: font.name, cs: font.name };
}

const exact = (line: number) => ({ line, lineRule: LineRuleType.EXACT, before: 0, after: 0 });
const firstLineIndent = { firstLine: 2 * CHAR, firstLineChars: 200 };

/** The document title: 2号小标宋, centred. */
function titleParagraph(text: string): Paragraph {
  return new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(text)] });
}

/** A centred line in 楷体 under the title, such as the date the figures are taken on. */
function subtitleParagraph(text: string): Paragraph {
  return new Paragraph({
    alignment: AlignmentType.CENTER,
    children: [new TextRun({ text, font: fontOf(officialFonts.heading2) })],
  });
}

/** Level-1 heading “一、…”: 3号黑体, indented two characters like the body. */
function heading1Paragraph(text: string): Paragraph {
  return new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun(text)] });
}

/** Level-2 heading “（一）…”: 3号楷体. */
function heading2Paragraph(text: string): Paragraph {
  return new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun(text)] });
}

/** A body paragraph: 3号仿宋, first line indented two characters, justified. */
function bodyParagraph(text: string): Paragraph {
  return new Paragraph({ indent: firstLineIndent, children: [new TextRun(text)] });
}

function blankLine(): Paragraph {
  return new Paragraph({ children: [] });
}

/**
 * A table with a caption above it, header row repeated on every page: 4号 text, the header in
 * 黑体, the first column left-aligned and the others centred, across the whole text width.
 */
function captionedTable(caption: string, headers: readonly string[], rows: readonly string[][]): FileChild[] {
  const firstWidth = Math.round(textWidth * 0.4);
  const otherWidth = Math.floor((textWidth - firstWidth) / Math.max(1, headers.length - 1));
  const widths = headers.map((_, k) => (k === 0 ? firstWidth : otherWidth));
  const cell = (text: string, column: number, isHeader: boolean) =>
    new TableCell({
      width: { size: widths[column]!, type: WidthType.DXA },
      verticalAlign: VerticalAlignTable.CENTER,
      margins: { top: 40, bottom: 40, left: 100, right: 100 },
      children: [
        new Paragraph({
          alignment: column === 0 && !isHeader ? AlignmentType.LEFT : AlignmentType.CENTER,
          spacing: exact(400),
          children: [
            new TextRun({
              text,
              size: size.small,
              ...(isHeader ? { font: fontOf(officialFonts.heading1) } : {}),
            }),
          ],
        }),
      ],
    });
  return [
    new Paragraph({
      alignment: AlignmentType.CENTER,
      keepNext: true,
      children: [new TextRun({ text: caption, size: size.small, font: fontOf(officialFonts.heading1) })],
    }),
    new Table({
      width: { size: textWidth, type: WidthType.DXA },
      columnWidths: widths,
      alignment: AlignmentType.CENTER,
      rows: [
        new TableRow({
          tableHeader: true,
          cantSplit: true,
          children: headers.map((text, k) => cell(text, k, true)),
        }),
        ...rows.map(
          (row) => new TableRow({ cantSplit: true, children: row.map((text, k) => cell(text, k, false)) }),
        ),
      ],
    }),
  ];
}

/** Width of a line in characters: full-width characters count one, ASCII (digits) half. */
function widthInChars(text: string): number {
  let width = 0;
  for (const ch of text) width += ch.codePointAt(0)! < 0x80 ? 0.5 : 1;
  return width;
}

/**
 * The issuing org unit and the date at the end of a document without a seal (GB/T 9704-2012): one
 * blank line below the text, the org unit two characters from the right, the date on the next
 * line starting two characters right of the org unit's first character; when the date would then
 * come closer than two characters to the margin, the date keeps two and the org unit is centred
 * over it.
 */
function issuingParagraphs(orgName: string, date: string): Paragraph[] {
  const name = widthInChars(orgName);
  const dated = widthInChars(date);
  let nameRight = 2;
  let dateRight = name - dated;
  if (dateRight < 2) {
    dateRight = 2;
    nameRight = 2 + (dated - name) / 2;
  }
  const line = (text: string, right: number, keepNext: boolean) =>
    new Paragraph({
      alignment: AlignmentType.RIGHT,
      indent: { right: Math.round(right * CHAR) },
      keepNext,
      children: [new TextRun(text)],
    });
  // The three lines stay together on one page.
  return [
    new Paragraph({ keepNext: true, children: [] }),
    line(orgName, nameRight, true),
    line(date, dateRight, false),
  ];
}

function pageNumberFooter(side: 'left' | 'right'): Footer {
  return new Footer({
    children: [
      new Paragraph({
        alignment: side === 'right' ? AlignmentType.RIGHT : AlignmentType.LEFT,
        // “空一字”: one 4号 character from the edge of the text area.
        indent: side === 'right' ? { right: pageNumberLine } : { left: pageNumberLine },
        spacing: exact(pageNumberLine),
        children: [
          new TextRun({
            size: size.small,
            font: fontOf(officialFonts.pageNumber),
            children: ['\u2014 ', PageNumber.CURRENT, ' \u2014'],
          }),
        ],
      }),
    ],
  });
}

/** A whole document in the official layout, from its blocks. */
function officialDocument(title: string, children: FileChild[]): Document {
  const body = fontOf(officialFonts.body);
  return new Document({
    title,
    creator: reportCreator,
    evenAndOddHeaderAndFooters: true,
    styles: {
      default: {
        document: {
          run: {
            font: body,
            size: size.body,
            characterSpacing,
            language: { value: 'en-US', eastAsia: 'zh-CN' },
          },
          paragraph: { spacing: exact(linePitch), alignment: AlignmentType.BOTH },
        },
        title: {
          run: { font: fontOf(officialFonts.title), size: size.title, color: '000000' },
          paragraph: { alignment: AlignmentType.CENTER, spacing: exact(linePitch), keepNext: true },
        },
        heading1: {
          run: { font: fontOf(officialFonts.heading1), size: size.body, color: '000000' },
          paragraph: { indent: firstLineIndent, spacing: exact(linePitch), keepNext: true, outlineLevel: 0 },
        },
        heading2: {
          run: { font: fontOf(officialFonts.heading2), size: size.body, color: '000000' },
          paragraph: { indent: firstLineIndent, spacing: exact(linePitch), keepNext: true, outlineLevel: 1 },
        },
      },
    },
    sections: [
      {
        properties: {
          page: {
            size: { width: page.width, height: page.height },
            margin: {
              top: page.top,
              bottom: page.bottom,
              left: page.left,
              right: page.right,
              header: twips(15),
              footer: footerDistance,
            },
          },
        },
        footers: { default: pageNumberFooter('right'), even: pageNumberFooter('left') },
        children,
      },
    ],
  });
}

const xmlAttribute = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The font table: each official font with the names Word tries when it is not installed, and the
 * GB2312 character set, so that Word substitutes a Chinese font of the same kind.
 */
function fontTableXml(): string {
  const entries = Object.values(officialFonts).map(
    (font) =>
      `<w:font w:name="${xmlAttribute(font.name)}"><w:altName w:val="${xmlAttribute(font.altNames.join(','))}"/>` +
      `<w:charset w:val="86"/><w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>`,
  );
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
    '<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">' +
    `${entries.join('')}</w:fonts>`
  );
}

/** One block of a report, in reading order: what a report builder composes and the layout renders. */
export type ReportBlock =
  | { kind: 'title' | 'subtitle' | 'heading1' | 'heading2' | 'paragraph'; text: string }
  | { kind: 'table'; caption: string; headers: readonly string[]; rows: string[][] }
  | { kind: 'issuer'; orgName: string; date: string };

/** Lays out a report's blocks as an official document. */
export function renderReport(blocks: readonly ReportBlock[]): Document {
  const children = blocks.flatMap((block): FileChild[] => {
    switch (block.kind) {
      case 'title':
        return [titleParagraph(block.text)];
      case 'subtitle':
        return [subtitleParagraph(block.text), blankLine()];
      case 'heading1':
        return [heading1Paragraph(block.text)];
      case 'heading2':
        return [heading2Paragraph(block.text)];
      case 'paragraph':
        return [bodyParagraph(block.text)];
      case 'table':
        return captionedTable(block.caption, block.headers, block.rows);
      case 'issuer':
        return issuingParagraphs(block.orgName, block.date);
    }
  });
  const title = blocks.find((b) => b.kind === 'title');
  return officialDocument(title && 'text' in title ? title.text : '', children);
}

/** The .docx file of a document, in bytes of its own (transferable to another thread). */
export async function packDocument(document: Document): Promise<Uint8Array> {
  const bytes = await Packer.toArrayBuffer(document, false, [
    { path: 'word/fontTable.xml', data: fontTableXml() },
  ]);
  return new Uint8Array(bytes);
}

/** The numbers the layout is built from, for tests. */
export const officialLayout = Object.freeze({
  page,
  textWidth,
  linePitch,
  characterSpacing,
  footerDistance,
  linesPerPage: LINES_PER_PAGE,
  charsPerLine: CHARS_PER_LINE,
});
