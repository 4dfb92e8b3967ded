import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  AccountRecovery,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  StandardThreatProtectionMode,
  StringAttribute,
  UserPool,
  UserPoolGroup,
  type UserPoolClient,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { ROLES, type Role } from '#shared/topology';

const ROLE_DESCRIPTIONS: Record<Role, string> = {
  drafter: '起草单位: submits drafts and their declaration forms',
  approver: '审批人: claims and decides approval tasks',
  infocenter: '信息中心: sees filings of non-public policy documents and the task list',
  admin: '平台管理员: keeps the publishing bodies (公开主体) of the platform',
};

/**
 * Staff accounts. Administrators create users (no self sign-up), put them in groups named
 * after the roles and set custom:unit; the JWT authorizer passes `cognito:groups`, `name`
 * and `custom:unit` to the handlers. Those are ID-token claims, so clients call the API
 * with the ID token.
 */
export class Identity extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.userPool = new UserPool(this, 'Users', {
      selfSignUpEnabled: false,
      signInAliases: { username: true, email: true },
      standardAttributes: {
        email: { required: true, mutable: true },
        fullname: { required: true, mutable: true },
      },
      // unit: a drafter's drafting unit; bodies: the ids of the 公开主体 an approver or the information centre acts for.
      customAttributes: { unit: new StringAttribute({ minLen: 1, maxLen: 128, mutable: true }), bodies: new StringAttribute({ minLen: 1, maxLen: 2048, mutable: true }) },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      // Plus tier: compromised-credential and adaptive-authentication checks, enforced.
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    for (const role of ROLES) {
      new UserPoolGroup(this, `group-${role}`, { userPool: this.userPool, groupName: role, description: ROLE_DESCRIPTIONS[role] });
    }

    this.client = this.userPool.addClient('Client', {
      // Sign-in by SRP from the upload page, the console and the CLI; no hosted UI, no OAuth redirects.
      authFlows: { userSrp: true },
      disableOAuth: true,
      generateSecret: false,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
      readAttributes: new ClientAttributes().withStandardAttributes({ email: true, fullname: true, locale: true }).withCustomAttributes('unit'),
      // Users must not change what the handlers trust (name, unit, email): only administrators
      // set those. An explicit, non-empty list, because an unset list means "all writable".
      writeAttributes: new ClientAttributes().withStandardAttributes({ locale: true }),
    });
  }
}
