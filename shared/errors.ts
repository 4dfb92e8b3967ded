/**
 * Named errors that carry a message for people in Chinese with an English gloss.
 * The HTTP edge maps them to status codes with instanceof (shared/http.ts).
 */
export interface Bilingual {
  readonly zh: string;
  readonly en: string;
}

export class DomainError extends Error implements Bilingual {
  readonly zh: string;
  readonly en: string;
  constructor(text: Bilingual, options?: ErrorOptions) {
    super(`${text.zh} (${text.en})`, options);
    this.name = 'DomainError';
    this.zh = text.zh;
    this.en = text.en;
  }
}

export interface FieldIssue extends Bilingual {
  /** Dotted path of the offending field, e.g. "form.legalBasis". */
  readonly field: string;
}

export class ValidationError extends DomainError {
  readonly issues: readonly FieldIssue[];
  constructor(issues: readonly FieldIssue[], options?: ErrorOptions) {
    super({ zh: `提交的内容有 ${issues.length} 处问题，请按提示修改后重新提交。`, en: `The request has ${issues.length} problem(s); fix them and submit again.` }, options);
    this.name = 'ValidationError';
    this.issues = issues;
  }
}

export class NotFoundError extends DomainError {
  constructor(text: Bilingual, options?: ErrorOptions) {
    super(text, options);
    this.name = 'NotFoundError';
  }
}

export class ForbiddenError extends DomainError {
  constructor(text: Bilingual, options?: ErrorOptions) {
    super(text, options);
    this.name = 'ForbiddenError';
  }
}

export class UnauthenticatedError extends DomainError {
  constructor(options?: ErrorOptions) {
    super({ zh: '未登录或令牌无效，请提供有效的身份令牌。', en: 'Missing or invalid token; sign in and send a valid bearer token.' }, options);
    this.name = 'UnauthenticatedError';
  }
}

/** A conditional write lost a race, or the request is stale. */
export class ConflictError extends DomainError {
  constructor(text: Bilingual, options?: ErrorOptions) {
    super(text, options);
    this.name = 'ConflictError';
  }
}

/** Raised when a transition is not allowed by the state machine. */
export class InvalidTransitionError extends DomainError {
  constructor(from: string, to: string) {
    super({ zh: `状态不能从 ${from} 变为 ${to}。`, en: `A draft cannot move from ${from} to ${to}.` });
    this.name = 'InvalidTransitionError';
  }
}

/** The caller repeats an action faster than it is allowed (lease extensions); try again later. */
export class TooManyRequestsError extends DomainError {
  /** Seconds until the action is allowed again (the Retry-After header). */
  readonly retryAfterSeconds: number;
  constructor(text: Bilingual, retryAfterSeconds: number, options?: ErrorOptions) {
    super(text, options);
    this.name = 'TooManyRequestsError';
    this.retryAfterSeconds = Math.max(1, Math.ceil(retryAfterSeconds));
  }
}

/** A record would pass the bound kept under DynamoDB's 400 KB item limit; it is not written. */
export class ItemTooLargeError extends DomainError {
  constructor(what: string, bytes: number, limit: number) {
    super({
      zh: `${what}的记录将达到 ${bytes} 字节，超过上限 ${limit} 字节，未保存；请缩短填写的内容或联系管理员。`,
      en: `The record of ${what} would be ${bytes} bytes, over the ${limit}-byte bound; it was not saved. Shorten what was entered or tell the administrator.`,
    });
    this.name = 'ItemTooLargeError';
  }
}

/** The largest JSON request body any route takes (the API refuses a larger one with 413). */
export const MAX_REQUEST_BODY_BYTES = 1024 * 1024;

/** A request body over MAX_REQUEST_BODY_BYTES: refused before it is parsed. */
export class PayloadTooLargeError extends DomainError {
  constructor(bytes?: number, options?: ErrorOptions) {
    const size = bytes !== undefined ? `（${(bytes / 1024 / 1024).toFixed(1)} MB）` : '';
    const sizeEn = bytes !== undefined ? ` (${(bytes / 1024 / 1024).toFixed(1)} MB)` : '';
    super(
      {
        zh: `请求体${size}超过上限 1 MB，未处理。文件请通过上传地址（POST /drafts 返回的 uploads）上传，不要放在请求体中。`,
        en: `The request body${sizeEn} is over the 1 MB limit and was not processed. Upload files through the upload forms (the uploads POST /drafts returns), not in the request body.`,
      },
      options,
    );
    this.name = 'PayloadTooLargeError';
  }
}

/** A request body that is not declared as JSON (Content-Type application/json). */
export class UnsupportedMediaTypeError extends DomainError {
  constructor(contentType: string | undefined, options?: ErrorOptions) {
    super(
      {
        zh: `请求体的类型为“${contentType || '未声明'}”，本接口只接受 JSON：请设置请求头 Content-Type: application/json。`,
        en: `The request body is declared as "${contentType || 'nothing'}"; this API takes JSON only: send the header Content-Type: application/json.`,
      },
      options,
    );
    this.name = 'UnsupportedMediaTypeError';
  }
}

/**
 * English glosses of the messages written into zod schemas. A zod issue carries one string:
 * `bi(zh, en)` gives zod the Chinese and keeps its gloss here, so the edge answers `{ zh, en }`
 * (shared/http.ts issuesOf) without ever splitting a "中文 / English" string.
 */
const GLOSSES = new Map<string, string>();

/** A message for people: the Chinese, its English gloss kept for the edge. */
export function bi(zh: string, en: string): string {
  GLOSSES.set(zh, en);
  return zh;
}

/** The English gloss of a message made with `bi`, if it was. */
export const glossOf = (zh: string): string | undefined => GLOSSES.get(zh);
