import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Acknowledges one cdk-nag finding on a construct and everything under it. cdk-nag 3 reads
 * these from construct metadata; each finding id is acknowledged on its own (no prefixes),
 * so every acknowledgement in this app names exactly what it accepts and why.
 */
export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}

/**
 * How cdk-nag writes a policy resource inside a finding id (`AwsSolutions-IAM5[Resource::…]`):
 * the resolved value with Fn::Join flattened, Fn::ImportValue reduced to its export name,
 * Ref and Fn::GetAtt written <Id> and <Id.Attr>. This mirrors cdk-nag's flattenCfnReference,
 * which it does not export. Should the two ever disagree, the finding is no longer
 * acknowledged and the infra test (and `cdk synth`) fail loudly.
 */
export function nagResource(scope: IConstruct, value: string): string {
  return flatten(Stack.of(scope).resolve(value));
}

function flatten(node: unknown): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
  const obj = node as Record<string, unknown>;
  if (obj['Fn::Join']) {
    const [delimiter, items] = obj['Fn::Join'] as [string, unknown[]];
    return items.map(flatten).join(delimiter);
  }
  if (obj['Fn::Sub']) return flatten(obj['Fn::Sub']);
  if (obj['Fn::GetAtt']) {
    const [resource, attribute] = obj['Fn::GetAtt'] as [unknown, unknown];
    return `<${flatten(resource)}.${flatten(attribute)}>`;
  }
  if (obj['Fn::ImportValue']) return flatten(obj['Fn::ImportValue']);
  if (obj['Ref']) return `<${flatten(obj['Ref'])}>`;
  return JSON.stringify(node);
}
