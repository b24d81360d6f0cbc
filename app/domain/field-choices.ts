/**
 * What a reviewer may choose for one field of an imported dictionary, besides
 * an existing biomarker's id. Kept apart from the planning code (which loads
 * the UCUM tables) so the review page can use them.
 */
export const NEW_BIOMARKER = "new";
export const LEAVE_OUT = "skip";
/** The reason a field chosen "leave out" is listed with, so the page can offer it again. */
export const LEFT_OUT_IN_REVIEW = "left out in review";
