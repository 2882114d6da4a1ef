import type { Migration } from 'kysely';
import * as createRegistry from './2026_11_29_0800_create_registry.ts';
import * as addImports from './2026_11_29_1200_add_imports.ts';
import * as addLoginThrottle from './2026_11_29_1500_add_login_throttle.ts';
import * as addPasswordPolicy from './2026_11_29_1600_add_password_policy.ts';
import * as addAuditLog from './2026_11_29_1700_add_audit_log.ts';
import * as addTwoFactor from './2026_11_29_1800_add_two_factor.ts';
import * as addTotpLastStep from './2026_11_29_1900_add_totp_last_step.ts';
import * as auditRetention from './2026_11_29_2000_audit_retention.ts';
// disputes, petitions and hotline
import * as addDisputesPetitions from './2026_11_30_0200_add_disputes_petitions.ts';
import * as addVisitsPairingsAssistance from './2026_11_30_0100_add_visits_pairings_assistance.ts';
import * as addVisitPhotos from './2026_12_01_0900_add_visit_photos.ts';
import * as caseworkFigureIndexes from './2026_12_01_0900_casework_figure_indexes.ts';
import * as rowLevelSecurity from './2026_12_01_0900_row_level_security.ts';
import * as addVisitCampaigns from './2026_12_01_1000_add_visit_campaigns.ts';
import * as rowSecurityVisitPhotosCampaigns from './2026_12_01_1100_row_security_visit_photos_campaigns.ts';
import * as sealPersonalFields from './2026_12_01_1200_seal_personal_fields.ts';
import * as rowSecurityCampaignsByPlannedVisits from './2026_12_02_0800_row_security_campaigns_by_planned_visits.ts';
import * as addRecordRetention from './2026_12_02_0900_add_record_retention.ts';
import * as registryFiguresIndexBirthDates from './2026_12_02_1200_registry_figures_index_birth_dates.ts';

/** Every migration, by sortable name. Add new ones at the end; never edit a landed one. */
export const migrations: Record<string, Migration> = {
  '2026_11_29_0800_create_registry': createRegistry,
  '2026_11_29_1200_add_imports': addImports,
  '2026_11_29_1500_add_login_throttle': addLoginThrottle,
  '2026_11_29_1600_add_password_policy': addPasswordPolicy,
  '2026_11_29_1700_add_audit_log': addAuditLog,
  '2026_11_29_1800_add_two_factor': addTwoFactor,
  '2026_11_29_1900_add_totp_last_step': addTotpLastStep,
  '2026_11_29_2000_audit_retention': auditRetention,
  '2026_11_30_0200_add_disputes_petitions': addDisputesPetitions,
  '2026_11_30_0100_add_visits_pairings_assistance': addVisitsPairingsAssistance,
  '2026_12_01_0900_add_visit_photos': addVisitPhotos,
  '2026_12_01_0900_casework_figure_indexes': caseworkFigureIndexes,
  '2026_12_01_0900_row_level_security': rowLevelSecurity,
  '2026_12_01_1000_add_visit_campaigns': addVisitCampaigns,
  '2026_12_01_1100_row_security_visit_photos_campaigns': rowSecurityVisitPhotosCampaigns,
  '2026_12_01_1200_seal_personal_fields': sealPersonalFields,
  '2026_12_02_0800_row_security_campaigns_by_planned_visits': rowSecurityCampaignsByPlannedVisits,
  '2026_12_02_0900_add_record_retention': addRecordRetention,
  '2026_12_02_1200_registry_figures_index_birth_dates': registryFiguresIndexBirthDates,
};
