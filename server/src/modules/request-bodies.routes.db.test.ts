import { describe, expect, it } from 'vitest';
import { useRegistryTest } from '../../test/fixtures.ts';

const r = useRegistryTest();

/** Columns the server sets itself: no request body may name them (mass assignment). */
const serverOwned = [
  'id',
  'streetId',
  'createdBy',
  'updatedBy',
  'createdAt',
  'updatedAt',
  'deletedAt',
  'reviewFlag',
  'passwordHash',
  'isDisabled',
  'mustChangePassword',
  'passwordChangedAt',
  // Casework: who decided an application, when a must-visit was done and how it was assigned.
  'decidedBy',
  'doneOn',
  'assignedByPairing',
  // Retention: when the job anonymised a record.
  'anonymisedAt',
];

interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
}

/** Every object in a schema, nested ones included, with where it is. */
function objectsOf(schema: JsonSchema, at: string): [string, JsonSchema][] {
  const found: [string, JsonSchema][] = [];
  if (schema.properties) {
    found.push([at, schema]);
    for (const [key, child] of Object.entries(schema.properties))
      found.push(...objectsOf(child, `${at}.${key}`));
  }
  if (schema.items) found.push(...objectsOf(schema.items, `${at}[]`));
  for (const option of schema.anyOf ?? []) found.push(...objectsOf(option, at));
  return found;
}

describe('request bodies', () => {
  it('refuse unknown fields and never let a caller set what the server owns, on every route', () => {
    const doc = r.app.swagger() as {
      paths: Record<
        string,
        Record<string, { requestBody?: { content: Record<string, { schema: JsonSchema }> } }>
      >;
    };
    const problems: string[] = [];
    let bodies = 0;
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const schema = operation.requestBody?.content['application/json']?.schema;
        if (!schema) continue;
        bodies += 1;
        for (const [where, object] of objectsOf(schema, `${method.toUpperCase()} ${path}`)) {
          if (object.additionalProperties !== false) problems.push(`${where} accepts unknown fields`);
          for (const key of Object.keys(object.properties ?? {})) {
            if (serverOwned.includes(key)) problems.push(`${where} lets the caller set ${key}`);
          }
        }
      }
    }
    expect(bodies).toBeGreaterThan(15);
    expect(problems).toEqual([]);
  });

  it('answers an unknown field with a Chinese message and changes nothing', async () => {
    const worker = await r.signIn('body-worker', 'community_worker', r.tree.communityA.id);
    const answer = await worker.post('/api/residents', {
      orgUnitId: r.tree.gridA1.id,
      name: '越权字段',
      ethnicityCode: '01',
      gender: 'male',
      residenceType: 'permanent',
      createdBy: 'someone-else',
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error.message).toMatch(/[\u4e00-\u9fa5]/);
    const found = await r.t.database.db
      .selectFrom('resident')
      .select('id')
      .where('name', '=', '越权字段')
      .execute();
    expect(found).toEqual([]);
  });
});
