import { audit } from './audit.ts';
import { auth } from './auth.ts';
import { casework } from './casework.ts';
import { common } from './common.ts';
import { dashboard } from './dashboard.ts';
import { errors } from './errors.ts';
import { households } from './households.ts';
import { imports } from './imports.ts';
import { menu } from './menu.ts';
import { places } from './places.ts';
import { registry } from './registry.ts';
import { reports } from './reports.ts';
import { residents } from './residents.ts';
import { users } from './users.ts';
import { disputes } from './disputes.ts';
import { petitions } from './petitions.ts';
import { retention } from './retention.ts';

/** Every string the web app shows, in Chinese. */
export const t = {
  audit,
  auth,
  casework,
  common,
  dashboard,
  errors,
  households,
  imports,
  menu,
  places,
  registry,
  reports,
  residents,
  users,
  disputes,
  petitions,
  retention,
};
