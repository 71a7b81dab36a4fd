// The API's routes as /openapi.json describes them, so the attack suites cover every route the app
// documents — a route added tomorrow is swept (or makes a suite fail) without anyone editing a list.
import type { TestApp } from '../../test/harness.js';

/** A JSON Schema node of the OpenAPI document, with `$ref`s and `allOf` already resolved. */
export interface JsonSchema {
  type?: string;
  nullable?: boolean;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  maxLength?: number;
  minLength?: number;
  format?: string;
  additionalProperties?: boolean | JsonSchema;
  [key: string]: unknown;
}

export interface ApiParameter {
  in: 'path' | 'query' | 'header';
  name: string;
  schema: JsonSchema;
}

export type RouteAuth = 'user' | 'widget' | 'public';

export interface ApiRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The OpenAPI template, e.g. `/api/v1/contents/{file_id}`. */
  path: string;
  /** `PATCH /api/v1/users/{id}`: how the suites' tables name a route. */
  key: string;
  auth: RouteAuth;
  parameters: ApiParameter[];
  pathParams: string[];
  /** The application/json request body's schema, resolved; undefined when the route takes no JSON body. */
  body?: JsonSchema;
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
export const isWrite = (route: ApiRoute) => WRITE_METHODS.has(route.method);

/** Every /api route of the app's OpenAPI document. */
export async function readApiRoutes(t: TestApp): Promise<ApiRoute[]> {
  const res = await t.request('GET', '/openapi.json');
  if (res.statusCode !== 200) throw new Error(`GET /openapi.json answered ${res.statusCode}`);
  const spec = res.json() as { paths: Record<string, Record<string, any>>; components: { schemas: Record<string, any> } };
  const resolve = (node: any, depth = 0): JsonSchema => resolveSchema(node, spec.components.schemas, depth);

  const routes: ApiRoute[] = [];
  for (const [path, operations] of Object.entries(spec.paths)) {
    if (!path.startsWith('/api/')) continue;
    for (const [verb, op] of Object.entries(operations)) {
      const method = verb.toUpperCase() as ApiRoute['method'];
      const security = (op.security ?? []) as Array<Record<string, unknown>>;
      const auth: RouteAuth = security.some((s) => 'widgetKey' in s) ? 'widget' : security.some((s) => 'bearerAuth' in s) ? 'user' : 'public';
      const parameters: ApiParameter[] = (op.parameters ?? []).map((p: any) => ({ in: p.in, name: p.name, schema: resolve(p.schema ?? {}) }));
      const jsonBody = op.requestBody?.content?.['application/json']?.schema;
      routes.push({
        method,
        path,
        key: `${method} ${path}`,
        auth,
        parameters,
        pathParams: parameters.filter((p) => p.in === 'path').map((p) => p.name),
        body: jsonBody ? resolve(jsonBody) : undefined,
      });
    }
  }
  return routes;
}

function resolveSchema(node: any, components: Record<string, any>, depth: number): JsonSchema {
  if (depth > 20 || node === null || typeof node !== 'object') return {};
  if (typeof node.$ref === 'string') return resolveSchema(components[node.$ref.split('/').pop()!], components, depth + 1);
  const out: JsonSchema = { ...node };
  // `{nullable, allOf: [{$ref}]}` is how the generator writes an optional/nullable object.
  if (Array.isArray(node.allOf) && node.allOf.length === 1 && node.allOf[0].$ref) {
    delete out.allOf;
    Object.assign(out, resolveSchema(node.allOf[0], components, depth + 1), node.nullable ? { nullable: true } : {});
  }
  if (out.properties) out.properties = Object.fromEntries(Object.entries(out.properties).map(([k, v]) => [k, resolveSchema(v, components, depth + 1)]));
  if (out.items) out.items = resolveSchema(out.items, components, depth + 1);
  return out;
}

/** `/api/v1/tenants/{tenant_id}` with `{tenant_id: 'x'}` → `/api/v1/tenants/x` (values are URL-encoded). */
export function fillPath(template: string, params: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`no value for {${name}} in ${template}`);
    return encodeURIComponent(value);
  });
}

/** Fails with one message naming every route of `routes` that `table` does not cover. */
export function assertCovered(routes: ApiRoute[], table: Record<string, unknown>, what: string, hint: string): void {
  const missing = routes.filter((r) => !(r.key in table)).map((r) => r.key);
  if (missing.length) throw new Error(`${what} not covered: ${missing.join(', ')}. ${hint}`);
  const known = new Set(routes.map((r) => r.key));
  const stale = Object.keys(table).filter((key) => !known.has(key));
  if (stale.length) throw new Error(`${what}: the table names routes that /openapi.json no longer has: ${stale.join(', ')}. Remove them.`);
}
