import type { RevealableHouseholdField } from '@shiliuzi/shared/households';
import { canRevealSensitive } from '@shiliuzi/shared/permissions';
import { MaskedText } from '@/components/masked-text.tsx';
import { useMe } from '@/features/auth/api.ts';
import { revealHouseholdField } from '@/features/households/api.ts';
import { t } from '@/locales/zh-CN/index.ts';

export interface MaskedHouseholdAddressProps {
  householdId: string;
  field: RevealableHouseholdField;
  /** The masked address from the list or detail answer. */
  masked: string | null | undefined;
}

/** A household's masked address (its own, or its dwelling's) with a 查看 button. */
export function MaskedHouseholdAddress({ householdId, field, masked }: MaskedHouseholdAddressProps) {
  const canReveal = canRevealSensitive(useMe().data?.roles ?? []);
  return (
    <MaskedText
      masked={masked}
      label={field === 'address' ? t.households.fields.address : t.households.fields.dwellingAddress}
      canReveal={canReveal}
      onReveal={(reason) => revealHouseholdField(householdId, field, reason)}
    />
  );
}
