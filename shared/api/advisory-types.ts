/** Plain-data types of the Advisories screen (SPEC §2.16): what each stream misses, and carries. */
import type { AdvisoriesReport, CarriesRow } from '../bodhi/advisories';

export type AdvisoriesView = AdvisoriesReport;

/** The carries answer for what the search box was given (an update, a CVE id or a package). */
export interface CarriesView {
  query: string;
  /** The update the answer is about. */
  alias: string | null;
  cves: string[];
  sources: string[];
  rows: CarriesRow[];
  warnings: string[];
}
