import type { FormRule } from 'antd';
import { hasPersonalNumbers } from '@shiliuzi/shared/masking';
import { t } from '@/locales/zh-CN/index.ts';

/**
 * For free text (notes, summaries, locations): warns as the user types when the text holds what looks like
 * an ID number or a mobile number, which free text would show unmasked. A warning only: the text saves.
 */
export const personalNumbersWarning: FormRule = {
  warningOnly: true,
  validator: async (_rule, value: unknown) => {
    if (typeof value === 'string' && hasPersonalNumbers(value))
      throw new Error(t.common.personalNumbersInText);
  },
};
