import type { ImportTemplateRecord, SheetLayout } from '@shiliuzi/shared/imports';
import type { Executor } from '../../db/database.ts';
import { forbidden, notFound } from '../../errors.ts';
import type { Actor } from '../../lib/actor.ts';
import { newId, nowIso } from '../../lib/ids.ts';
import { canEditRegistry } from '../../lib/permissions.ts';
import { orgUnitService } from '../org-units/org-unit.service.ts';
import { importRepository } from './import.repository.ts';
import { toTemplate, type ImportTemplate } from './reading/layout.ts';

type TemplateRow = NonNullable<Awaited<ReturnType<typeof importRepository.findTemplateById>>>;

function toRecord(row: TemplateRow): ImportTemplateRecord {
  const mapping = JSON.parse(row.mapping) as ImportTemplate;
  return {
    id: row.id,
    orgUnitId: row.orgUnitId,
    name: row.name,
    ...(mapping.register ? { register: mapping.register } : {}),
    columns: { ...mapping.columns },
    createdAt: row.createdAt,
  };
}

/**
 * The mappings a user may apply when importing into `orgUnitId`: those saved for the unit and for the
 * units above it, up to the user's own unit (a street's mapping serves its communities).
 */
async function listTemplates(db: Executor, actor: Actor, orgUnitId: string): Promise<ImportTemplateRecord[]> {
  const unit = await orgUnitService.requireOrgUnit(db, actor, orgUnitId);
  const chain = unit.path.split('/').filter(Boolean);
  const from = Math.max(0, chain.indexOf(actor.orgUnitId ?? ''));
  return (await importRepository.findTemplates(db, chain.slice(from))).map(toRecord);
}

/** Saves a sheet's (corrected) mapping under a name for the org unit; the same name replaces it. */
async function saveTemplate(
  db: Executor,
  actor: Actor,
  input: { orgUnitId: string; name: string; layout: SheetLayout },
): Promise<ImportTemplateRecord> {
  const unit = await orgUnitService.requireOrgUnit(db, actor, input.orgUnitId);
  if (!canEditRegistry(actor)) throw forbidden();
  await importRepository.saveTemplate(db, {
    id: newId(),
    orgUnitId: unit.id,
    name: input.name,
    mapping: JSON.stringify(toTemplate(input.layout)),
    createdBy: actor.userId,
    createdAt: nowIso(),
  });
  const saved = (await importRepository.findTemplates(db, [unit.id])).find((t) => t.name === input.name)!;
  return toRecord(saved);
}

/** A template saved for a unit of the actor's subtree, else 404. */
async function requireTemplate(db: Executor, actor: Actor, id: string): Promise<ImportTemplateRecord> {
  const row = await importRepository.findTemplateById(db, id);
  if (!row) throw notFound('import_template_not_found');
  await orgUnitService.requireOrgUnit(db, actor, row.orgUnitId).catch(() => {
    throw notFound('import_template_not_found');
  });
  return toRecord(row);
}

async function deleteTemplate(db: Executor, actor: Actor, id: string): Promise<void> {
  await requireTemplate(db, actor, id);
  if (!canEditRegistry(actor)) throw forbidden();
  await importRepository.deleteTemplate(db, id);
}

/** The mapping of a template, as the reader applies it. */
export function templateMapping(record: ImportTemplateRecord): ImportTemplate {
  return { ...(record.register ? { register: record.register } : {}), columns: record.columns };
}

export const importTemplateService = Object.freeze({
  listTemplates,
  saveTemplate,
  requireTemplate,
  deleteTemplate,
});
