import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REQUEST_BODIES, requestJsonSchema } from '#shared/openapi';

/**
 * Every choice a web page offers in a list written into its HTML is one the API accepts, and
 * the page offers every choice the API accepts: the options of each `<select data-field>` with
 * options in the page's source are compared with the request schema of the route its form is
 * sent to, at the select's field (an enum, a boolean, or the discriminator of a union of
 * objects). Lists filled at run time (`data-enum`, the bodies' lists) are left to the browser
 * tests. A new form with a written-in list fails here until it names its route below.
 */

const WEB = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web');

/** The route each form with written-in lists is sent to (file#form id → "METHOD /path"). */
const FORM_ROUTES: Readonly<Record<string, string>> = {
  'apply/index.html#apply-form': 'POST /public/applications',
  'console/index.html#reg-form': 'POST /applications',
  'bodies/index.html#body-form': 'POST /bodies',
  'upload/index.html#draft-form': 'POST /drafts',
};

interface Select {
  readonly where: string;
  readonly id: string;
  readonly field: string;
  readonly values: string[];
}

const attr = (tag: string, name: string): string | undefined => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];

function htmlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? htmlFiles(path.join(dir, e.name)) : e.name.endsWith('.html') ? [path.join(dir, e.name)] : []));
}

/** The selects with options written into each form of each page. */
function writtenSelects(): Map<string, Select[]> {
  const forms = new Map<string, Select[]>();
  for (const file of htmlFiles(WEB)) {
    const html = readFileSync(file, 'utf8');
    const rel = path.relative(WEB, file).split(path.sep).join('/');
    for (const form of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
      const where = `${rel}#${attr(form[1]!, 'id') ?? '?'}`;
      for (const select of form[2]!.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/g)) {
        const tag = select[1]!;
        const field = attr(tag, 'data-field');
        if (!field || attr(tag, 'data-enum') !== undefined) continue;
        const values = [...select[2]!.matchAll(/<option\b([^>]*)>/g)].map((o) => attr(o[1]!, 'value') ?? '').filter((v) => v !== '');
        if (!values.length) continue; // filled at run time
        forms.set(where, [...(forms.get(where) ?? []), { where, id: attr(tag, 'id') ?? '?', field, values }]);
      }
    }
  }
  return forms;
}

type Json = Record<string, unknown>;

/** The schema nodes a dotted field leads to (every branch of a union is followed). */
function at(node: Json, segments: readonly string[], root: Json): Json[] {
  const ref = node.$ref;
  if (typeof ref === 'string' && ref.startsWith('#/'))
    return at(
      ref
        .slice(2)
        .split('/')
        .reduce<Json>((n, k) => n[k] as Json, root),
      segments,
      root,
    );
  if (!segments.length) return [node];
  const branches = [...((node.anyOf as Json[] | undefined) ?? []), ...((node.oneOf as Json[] | undefined) ?? []), ...((node.allOf as Json[] | undefined) ?? [])];
  if (branches.length) return branches.flatMap((b) => at(b, segments, root));
  const [head, ...rest] = segments;
  const props = node.properties as Record<string, Json> | undefined;
  if (props?.[head!]) return at(props[head!]!, rest, root);
  if (node.items && /^\d+$/.test(head!)) return at(node.items as Json, rest, root);
  return [];
}

/** The values a schema node accepts as a choice: enum members, consts, a boolean's two, or a union's discriminator. */
function choices(node: Json, root: Json): string[] {
  const ref = node.$ref;
  if (typeof ref === 'string' && ref.startsWith('#/'))
    return choices(
      ref
        .slice(2)
        .split('/')
        .reduce<Json>((n, k) => n[k] as Json, root),
      root,
    );
  if (Array.isArray(node.enum)) return node.enum.map(String);
  if (node.const !== undefined) return [String(node.const)];
  if (node.type === 'boolean') return ['true', 'false'];
  const branches = [...((node.anyOf as Json[] | undefined) ?? []), ...((node.oneOf as Json[] | undefined) ?? [])];
  if (branches.length) {
    const objects = branches.filter((b) => b.properties);
    if (objects.length === branches.length) {
      // A union of objects: the property every branch fixes to a constant is the choice.
      const keys = Object.keys(objects[0]!.properties as Json).filter((k) => objects.every((b) => ((b.properties as Record<string, Json>)[k] ?? {}).const !== undefined));
      if (keys.length === 1) return objects.map((b) => String((b.properties as Record<string, Json>)[keys[0]!]!.const));
    }
    return branches.flatMap((b) => choices(b, root));
  }
  return [];
}

const forms = writtenSelects();

describe('written-in lists of the web pages against the API', () => {
  it('finds the pages’ lists (the parser reads the pages)', () => {
    expect([...forms.keys()].sort()).toEqual(Object.keys(FORM_ROUTES).sort());
    expect([...forms.values()].flat().length).toBeGreaterThanOrEqual(10);
  });

  for (const [where, selects] of forms) {
    describe(where, () => {
      it('names the route its form is sent to', () => {
        expect(FORM_ROUTES[where], `add ${where} to FORM_ROUTES with the route its form is sent to`).toBeDefined();
        expect(REQUEST_BODIES[FORM_ROUTES[where]!], `${FORM_ROUTES[where]} has a request body`).toBeDefined();
      });
      const route = FORM_ROUTES[where];
      const body = route ? REQUEST_BODIES[route] : undefined;
      if (!body) return;
      const root = requestJsonSchema(body);
      for (const s of selects) {
        it(`#${s.id} (${s.field}) offers exactly what ${route} accepts`, () => {
          const nodes = at(root, s.field.split('.'), root);
          expect(nodes.length, `${route} has a field ${s.field}`).toBeGreaterThan(0);
          const accepted = [...new Set(nodes.flatMap((n) => choices(n, root)))];
          expect(accepted.length, `${s.field} of ${route} is a choice (enum, boolean or tagged union)`).toBeGreaterThan(0);
          expect(new Set(s.values).size, 'no option twice').toBe(s.values.length);
          expect([...s.values].sort()).toEqual([...accepted].sort());
        });
      }
    });
  }
});
