import { installTestFieldKeys } from './field-keys.ts';

// Services seal and open fields with the process's keys; the CLI installs them at start, tests here.
installTestFieldKeys();
