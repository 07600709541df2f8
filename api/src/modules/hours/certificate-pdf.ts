/**
 * The volunteer service certificate (志愿服务证明) as a PDF: a pure function
 * of what the certificate states, so a certificate prints the same every time
 * it is downloaded.
 *
 * What it states follows the Measures for Volunteer Service Records and
 * Certificates (志愿服务记录与证明出具办法, art. 14): who, how many hours, what
 * service (the activities, or a summary by month when there are many), the
 * recording organization, the date of issue, and the number and QR code by
 * which anyone can check it.
 *
 * Chinese text: Noto Sans CJK SC ("Noto Sans Hans", SIL Open Font License)
 * from the @embedpdf/fonts-sc package, read from disk, never fetched.
 * PDFKit embeds only the glyphs used (a subset of a few dozen KB) with a
 * ToUnicode map, so the text can be searched and copied out of the PDF.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { create as createFont, type Font } from 'fontkit';
import PDFDocument from 'pdfkit';
import { encode } from 'uqr';
import { formatHours } from '../../kernel/hours.ts';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- @types/pdfkit declares its types in this global namespace
  namespace PDFKit.Mixins {
    interface PDFFont {
      /** PDFKit also takes a font fontkit has already parsed (its `PDFFontFactory.open`); the typings omit it. */
      registerFont(name: string, src: Font): this;
    }
  }
}

export interface CertificateActivity {
  name: string;
  /** The day of the service, `YYYY-MM-DD` in the organization's time zone. */
  date: string;
  minutes: number;
}

export interface CertificateContent {
  number: string;
  memberName: string;
  /** Approved service in the period, in minutes. */
  minutes: number;
  /** `YYYY-MM-DD`, both days included. */
  period: { from: string; to: string };
  activities: CertificateActivity[];
  organizationName: string;
  /** `YYYY-MM-DD` in the organization's time zone. */
  issuedOn: string;
  /** The public page the QR code leads to. */
  verificationUrl: string;
  /** The association's seal (公章), a PNG with transparency, and the signing person's title: absent when unsealed. */
  seal?: { png: Uint8Array; signerTitle: string | null };
}

/** The seal's printed size: about 40 mm across, as an official round seal (公章) is. */
const SEAL_SIZE = 114;

const fontFolder = join(dirname(createRequire(import.meta.url).resolve('@embedpdf/fonts-sc')), '..', 'fonts');
let fonts: { regular: Font; bold: Font } | undefined;

function parsedFont(file: string): Font {
  const font = createFont(readFileSync(join(fontFolder, file)));
  if (!('layout' in font)) throw new Error(`${file} is a font collection`);
  return font;
}

/**
 * Read and parsed on the first certificate, then kept: parsing an 8 MB CJK
 * font takes longer than the rest of a certificate. Each document still makes
 * its own subset of the glyphs it uses.
 */
function loadFonts(): { regular: Font; bold: Font } {
  fonts ??= { regular: parsedFont('NotoSansHans-Regular.otf'), bold: parsedFont('NotoSansHans-Bold.otf') };
  return fonts;
}

function parts(day: string): [number, number, number] {
  const [year = 0, month = 0, date = 0] = day.split('-').map(Number);
  return [year, month, date];
}

function chineseDate(day: string): string {
  const [year, month, date] = parts(day);
  return `${year}年${month}月${date}日`;
}

function englishDate(day: string): string {
  const [year, month, date] = parts(day);
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  return `${date} ${months[month - 1] ?? ''} ${year}`;
}

interface TableRow {
  cells: [string, string, string];
}

/** The rows of the service table: each activity, or, past `maxRows`, one row a month (a year when the months would not fit). */
export function serviceRows(
  activities: CertificateActivity[],
  maxRows: number,
): {
  kind: 'ACTIVITIES' | 'MONTHS' | 'YEARS';
  rows: TableRow[];
} {
  const sorted = [...activities].sort((a, b) => a.date.localeCompare(b.date) || a.name.localeCompare(b.name));
  if (sorted.length <= maxRows) {
    return {
      kind: 'ACTIVITIES',
      rows: sorted.map((activity) => ({ cells: [activity.date, activity.name, formatHours(activity.minutes, 'zh')] })),
    };
  }
  const summarise = (keyLength: number) => {
    const groups = new Map<string, { count: number; minutes: number }>();
    for (const activity of sorted) {
      const key = activity.date.slice(0, keyLength);
      const group = groups.get(key) ?? { count: 0, minutes: 0 };
      group.count += 1;
      group.minutes += activity.minutes;
      groups.set(key, group);
    }
    return [...groups].map(([key, group]): TableRow => ({
      cells: [key, String(group.count), formatHours(group.minutes, 'zh')],
    }));
  };
  const months = summarise(7);
  if (months.length <= maxRows) return { kind: 'MONTHS', rows: months };
  return { kind: 'YEARS', rows: summarise(4) };
}

/** Shortens text with an ellipsis to fit a column (activity names can be long). */
function fitted(doc: PDFKit.PDFDocument, text: string, width: number): string {
  if (doc.widthOfString(text) <= width) return text;
  let kept = text;
  while (kept.length > 1 && doc.widthOfString(`${kept}…`) > width) kept = kept.slice(0, -1);
  return `${kept}…`;
}

/** The QR code as filled squares, one run of dark modules at a time: sharp at any zoom, no image to embed. */
function drawQrCode(doc: PDFKit.PDFDocument, text: string, x: number, y: number, size: number): void {
  const qr = encode(text, { ecc: 'M', border: 0 });
  const module = size / qr.size;
  qr.data.forEach((row, rowIndex) => {
    let runStart = -1;
    row.forEach((dark, column) => {
      if (dark && runStart < 0) runStart = column;
      if ((!dark || column === row.length - 1) && runStart >= 0) {
        const runEnd = dark ? column + 1 : column;
        doc.rect(x + runStart * module, y + rowIndex * module, (runEnd - runStart) * module, module);
        runStart = -1;
      }
    });
  });
  doc.fillColor('#000000').fill();
}

const ACCENT = '#b3261e';
const INK = '#1f1f1f';
const MUTED = '#5f5f5f';

/** Renders the certificate: one A4 page. */
export async function renderCertificatePdf(content: CertificateContent): Promise<Buffer> {
  const { regular, bold } = loadFonts();
  const hours = formatHours(content.minutes, 'zh');
  const doc = new PDFDocument({
    size: 'A4',
    margin: 0,
    lang: 'zh-CN',
    displayTitle: true,
    info: {
      Title: `志愿服务证明 ${content.number}`,
      Author: content.organizationName,
      Subject: `${content.memberName} ${hours} 小时`,
      Creator: 'Qicai 七彩',
      // The issue date, not the moment of rendering: the same certificate gives the same file.
      CreationDate: new Date(`${content.issuedOn}T00:00:00Z`),
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => {
      resolve(Buffer.concat(chunks));
    });
    doc.on('error', reject);
  });
  doc.registerFont('regular', regular);
  doc.registerFont('bold', bold);

  const pageWidth = doc.page.width;
  const pageHeight = doc.page.height;
  const left = 64;
  const width = pageWidth - left * 2;

  // Frame: a double rule, as on printed certificates.
  doc
    .lineWidth(2.5)
    .strokeColor(ACCENT)
    .rect(24, 24, pageWidth - 48, pageHeight - 48)
    .stroke();
  doc
    .lineWidth(0.8)
    .rect(31, 31, pageWidth - 62, pageHeight - 62)
    .stroke();

  doc.font('regular').fontSize(9.5).fillColor(MUTED);
  doc.text(`证明编号 No. ${content.number}`, left, 52, { width, align: 'right' });

  doc.font('bold').fontSize(30).fillColor(ACCENT).text('志愿服务证明', left, 92, { width, align: 'center' });
  doc.font('regular').fontSize(12).fillColor(MUTED);
  doc.text('Certificate of Volunteer Service', left, doc.y + 4, { width, align: 'center' });

  const period = `${chineseDate(content.period.from)}至${chineseDate(content.period.to)}`;
  const activityCount = content.activities.length;
  doc.font('regular').fontSize(13.5).fillColor(INK);
  doc.text('兹证明 ', left, 190, { width, continued: true, lineGap: 7 });
  doc.font('bold').text(content.memberName, { continued: true });
  doc.font('regular').text(` 于${period}期间参加志愿服务，经${content.organizationName}记录，累计志愿服务时长 `, {
    continued: true,
  });
  doc.font('bold').text(hours, { continued: true });
  doc.font('regular').text(` 小时（共 ${activityCount} 次）。特此证明。`);
  doc.moveDown(0.4);
  doc.fontSize(10).fillColor(MUTED);
  doc.text(
    `This certifies that ${content.memberName} gave ${hours} hours of volunteer service (${activityCount} ` +
      `${activityCount === 1 ? 'activity' : 'activities'}) from ${englishDate(content.period.from)} to ` +
      `${englishDate(content.period.to)}, as recorded by ${content.organizationName}.`,
    left,
    doc.y,
    { width, lineGap: 3 },
  );

  // The service table, as many rows as the page holds above the footer.
  const rowHeight = 18;
  const qrSize = 96;
  const footerTop = pageHeight - 64 - qrSize - 28;
  let y = Math.max(doc.y + 22, 300);
  const tableTop = y + 22;
  const table = serviceRows(content.activities, Math.max(1, Math.floor((footerTop - 16 - tableTop) / rowHeight) - 2));
  const headers: Record<typeof table.kind, [string, string, string]> = {
    ACTIVITIES: ['日期 Date', '活动名称 Activity', '时长 Hours'],
    MONTHS: ['月份 Month', '活动次数 Activities', '时长 Hours'],
    YEARS: ['年份 Year', '活动次数 Activities', '时长 Hours'],
  };
  const columns = [
    { x: left, width: 100, align: 'left' as const },
    { x: left + 108, width: width - 108 - 88, align: 'left' as const },
    { x: left + width - 80, width: 80, align: 'right' as const },
  ];
  doc.font('bold').fontSize(12).fillColor(INK);
  doc.text(table.kind === 'ACTIVITIES' ? '服务记录 Service' : '服务记录汇总 Service summary', left, y);
  y = tableTop;
  doc.rect(left, y, width, rowHeight).fillColor('#f6e9e7').fill();
  doc.font('bold').fontSize(9.5).fillColor(INK);
  headers[table.kind].forEach((header, index) => {
    const column = columns[index];
    if (column)
      doc.text(header, column.x + 4, y + 5, { width: column.width - 8, align: column.align, lineBreak: false });
  });
  y += rowHeight;
  doc.font('regular').fontSize(10);
  for (const row of table.rows) {
    row.cells.forEach((cell, index) => {
      const column = columns[index];
      if (!column) return;
      doc.fillColor(INK).text(fitted(doc, cell, column.width - 8), column.x + 4, y + 5, {
        width: column.width - 8,
        align: column.align,
        lineBreak: false,
      });
    });
    y += rowHeight;
    doc
      .moveTo(left, y)
      .lineTo(left + width, y)
      .lineWidth(0.4)
      .strokeColor('#d9d9d9')
      .stroke();
  }
  if (table.rows.length === 0) {
    doc.fillColor(MUTED).text('本期间无已核准的服务记录 No approved service in this period', left + 4, y + 5);
    y += rowHeight;
  }
  doc.font('bold').fontSize(10).fillColor(INK);
  doc.text('合计 Total', left + 4, y + 6, { width: width / 2, lineBreak: false });
  doc.text(hours, left + width - 80 + 4, y + 6, { width: 72, align: 'right', lineBreak: false });

  // Issuer, date, and the QR code that leads to the public verification page.
  drawQrCode(doc, content.verificationUrl, left + width - qrSize, footerTop, qrSize);
  doc.font('regular').fontSize(8.5).fillColor(MUTED);
  doc.text('扫码核验 Scan to verify', left + width - qrSize - 20, footerTop + qrSize + 6, {
    width: qrSize + 20,
    align: 'right',
  });
  const textWidth = width - qrSize - 24;
  doc.font('regular').fontSize(11).fillColor(INK);
  doc.text(`出具单位 Issued by：${content.organizationName}`, left, footerTop + 6, { width: textWidth });
  doc.text(
    `出具日期 Date of issue：${chineseDate(content.issuedOn)}（${englishDate(content.issuedOn)}）`,
    left,
    doc.y + 6,
    { width: textWidth },
  );
  if (content.seal?.signerTitle) {
    doc.text(`签发人 Signed by：${content.seal.signerTitle}`, left, doc.y + 6, { width: textWidth });
  }
  const issuerBottom = doc.y;
  doc.fontSize(8.5).fillColor(MUTED);
  doc.text(
    `本证明由志愿者自行打印，免费出具。核验：扫描二维码，或在 ${content.verificationUrl} 查看。` +
      `Printed by the volunteer, free of charge. Check it by scanning the code or at the address above.`,
    left,
    doc.y + 12,
    { width: textWidth, lineGap: 2 },
  );
  if (content.seal) {
    // Stamped over the issuer's name and the date, as a seal is on paper: drawn last, its transparency shows the text.
    const sealTop = (footerTop + issuerBottom) / 2 - SEAL_SIZE / 2;
    doc.image(Buffer.from(content.seal.png), left + textWidth - SEAL_SIZE - 24, sealTop, {
      fit: [SEAL_SIZE, SEAL_SIZE],
      align: 'center',
      valign: 'center',
    });
  }

  doc.end();
  return finished;
}
