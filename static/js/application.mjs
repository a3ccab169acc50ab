// Progressive enhancement only: every page works without this file.
import { createAll, initAll as initGovuk } from "./govuk-frontend.min.js";
import { FilterToggleButton, initAll as initMoj } from "./moj-frontend.min.js";

initGovuk();
initMoj();
// MOJ's initAll leaves out the filter's show/hide button; on small screens it turns the
// filter panel of a report into an overlay opened by a "Show filter" button.
createAll(FilterToggleButton);
