import { canRevealSensitive } from '@shiliuzi/shared/permissions';
import type { RevealableResidentField } from '@shiliuzi/shared/residents';
import { MaskedText } from '@/components/masked-text.tsx';
import { useMe } from '@/features/auth/api.ts';
import { revealResidentField } from '@/features/residents/api.ts';
import { t } from '@/locales/zh-CN/index.ts';

export interface MaskedValueProps {
  residentId: string;
  field: RevealableResidentField;
  /** The masked value from the list or detail answer. */
  masked: string | null | undefined;
}

const labels: Record<RevealableResidentField, string> = {
  idNumber: t.residents.fields.idNumber,
  phone: t.residents.fields.phone,
  address: t.residents.fields.address,
  originAddress: t.residents.fields.originAddress,
};

/** A resident's masked ID number, phone or address with a 查看 button that asks for this one value. */
export function MaskedValue({ residentId, field, masked }: MaskedValueProps) {
  const canReveal = canRevealSensitive(useMe().data?.roles ?? []);
  return (
    <MaskedText
      masked={masked}
      label={labels[field]}
      canReveal={canReveal}
      onReveal={(reason) => revealResidentField(residentId, field, reason)}
    />
  );
}
