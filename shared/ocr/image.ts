/**
 * Images in and out, through sharp (libvips): an upload decoded to a grey page at the working
 * size, its dimensions checked from the header first; a rendered page encoded as PNG.
 *
 * libvips decodes on demand and shrinks JPEG on load, so an accepted image is never held at
 * full size: a 10,000 × 10,000 px PNG is streamed through the resize.
 */
import sharp from 'sharp';
import { extractionErrors } from '../extract/errors.ts';
import type { GreyImage } from './engine.ts';
import { OCR_LIMITS } from './limits.ts';

// No cache of decoded images between calls (each page is seen once), one libvips thread per core.
sharp.cache(false);

const ACCEPTED_FORMATS = new Set(['png', 'jpeg', 'tiff']);

/** An uploaded PNG, JPEG or TIFF as a grey page at most OCR_LIMITS.workMaxSide on its long side. */
export async function decodeImage(bytes: Uint8Array): Promise<GreyImage> {
  const input = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let meta: sharp.Metadata;
  try {
    meta = await sharp(input, { limitInputPixels: false }).metadata();
  } catch (err) {
    throw extractionErrors.imageUndecodable(err);
  }
  const format = meta.format ?? 'unknown';
  if (!ACCEPTED_FORMATS.has(format)) throw extractionErrors.imageUnsupported(format);
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  if (width <= 0 || height <= 0) throw extractionErrors.imageUndecodable();
  if (width * height > OCR_LIMITS.inputMaxPixels || Math.max(width, height) > OCR_LIMITS.inputMaxSide)
    throw extractionErrors.imageTooManyPixels(width, height, OCR_LIMITS.inputMaxPixels);
  if ((meta.pages ?? 1) > 1) throw extractionErrors.imageMultiPage(meta.pages ?? 1);
  try {
    const { data, info } = await sharp(input, { limitInputPixels: OCR_LIMITS.inputMaxPixels, failOn: 'error' })
      .rotate() // EXIF orientation (phone photos)
      .flatten({ background: '#ffffff' })
      .resize({ width: OCR_LIMITS.workMaxSide, height: OCR_LIMITS.workMaxSide, fit: 'inside', withoutEnlargement: true })
      .greyscale()
      .toColourspace('b-w')
      .raw()
      .toBuffer({ resolveWithObject: true });
    return { data: toGrey(data, info.channels), width: info.width, height: info.height };
  } catch (err) {
    throw extractionErrors.imageUndecodable(err);
  }
}

/**
 * The first channel of interleaved pixels (grey already, or the luminance sharp put first),
 * always in a new array: sharp's Buffer is native memory V8 does not count, freed only when a
 * major GC finds it (see renderPage), so it is not kept for the seconds recognition takes.
 */
function toGrey(data: Buffer, channels: number): Uint8Array {
  if (channels === 1) return new Uint8Array(data);
  const out = new Uint8Array(data.length / channels);
  for (let i = 0; i < out.length; i++) out[i] = data[i * channels]!;
  return out;
}

/** RGBA pixels (a rendered canvas) in grey (ITU-R BT.601 luma, on white where transparent). */
export function rgbaToGrey(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number): GreyImage {
  const data = new Uint8Array(width * height);
  for (let i = 0, j = 0; i < data.length; i++, j += 4) {
    const a = rgba[j + 3]! / 255;
    const luma = 0.299 * rgba[j]! + 0.587 * rgba[j + 1]! + 0.114 * rgba[j + 2]!;
    data[i] = Math.round(luma * a + 255 * (1 - a));
  }
  return { data, width, height };
}

/** RGBA pixels as a PNG, scaled to at most maxWidth wide. */
export async function rgbaToPng(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number, maxWidth: number): Promise<Uint8Array> {
  const png = await sharp(Buffer.from(rgba.buffer, rgba.byteOffset, rgba.byteLength), { raw: { width, height, channels: 4 } })
    .flatten({ background: '#ffffff' })
    .resize({ width: maxWidth, fit: 'inside', withoutEnlargement: true })
    .png({ compressionLevel: 6, palette: false })
    .toBuffer();
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}
