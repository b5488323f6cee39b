/** A component label applied to a component, as evaluation uses it (applied by services/decisions/component-labels-applied.ts). */
export interface AppliedLabel {
  labelId: string;
  label: string;
  description: string;
  color: string;
  /** where the label was applied */
  owner: { type: 'organization' | 'application'; id: string };
}
