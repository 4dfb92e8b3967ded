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
    super(
      { zh: `提交的内容有 ${issues.length} 处问题，请按提示修改后重新提交。`, en: `The request has ${issues.length} problem(s); fix them and submit again.` },
      options,
    );
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
