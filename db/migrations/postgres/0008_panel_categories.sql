ALTER TABLE "panel_biomarkers" ADD COLUMN "categories" json DEFAULT '[]'::json NOT NULL;
--> statement-breakpoint
-- Categories used to live in the description, as one line `Choices: 1, Male | 2, Female` (decision 026).
-- Each category biomarker's first such line moves into the column, as liftChoicesLine
-- (app/domain/categories.ts) reads it: the line starts the text or follows a line feed; a category is
-- `code, label` (split at the first comma), categories are split at | (a stray CR counts as one); every
-- code and label must be non-empty, codes unique, codes at most 60 and labels at most 300 characters,
-- at most 1000 categories. A line that fails any of these stays in the description for a person to fix.
-- The JSON is written as JSON.stringify writes it (no spaces), as the app stores it: the json type keeps
-- the text as written.
WITH found AS (
  SELECT id, description,
    CASE WHEN left(description, 9) = 'Choices: ' THEN 1 ELSE strpos(description, E'\nChoices: ') + 1 END AS start
  FROM panel_biomarkers
  WHERE value_type = 'category'
    AND (left(description, 9) = 'Choices: ' OR strpos(description, E'\nChoices: ') > 0)
), ended AS (
  SELECT id, description, start, strpos(substr(description, start), E'\n') AS nl FROM found
), lines AS (
  SELECT id,
    CASE WHEN nl = 0 THEN substr(description, start + 9) ELSE substr(description, start + 9, nl - 10) END AS content,
    substr(description, 1, start - 1) || CASE WHEN nl = 0 THEN '' ELSE substr(description, start + nl) END AS rest
  FROM ended
), parts AS (
  SELECT lines.id, piece.n, btrim(piece.part, E' \t\r\n') AS part
  FROM lines, unnest(string_to_array(replace(lines.content, E'\r', '|'), '|')) WITH ORDINALITY AS piece(part, n)
), cats AS (
  SELECT id, n,
    CASE WHEN strpos(part, ',') = 0 THEN '' ELSE btrim(substr(part, 1, strpos(part, ',') - 1), E' \t\r\n') END AS code,
    CASE WHEN strpos(part, ',') = 0 THEN '' ELSE btrim(substr(part, strpos(part, ',') + 1), E' \t\r\n') END AS label
  FROM parts WHERE part <> ''
), movable AS (
  SELECT id,
    '[' || string_agg('{"code":' || to_json(code)::text || ',"label":' || to_json(label)::text || '}', ',' ORDER BY n) || ']' AS categories
  FROM cats GROUP BY id
  HAVING bool_and(code <> '' AND label <> '' AND length(code) <= 60 AND length(label) <= 300)
    AND count(*) = count(DISTINCT code) AND count(*) <= 1000
)
UPDATE panel_biomarkers AS b
SET categories = movable.categories::json, description = btrim(lines.rest, E' \t\r\n')
FROM movable JOIN lines ON lines.id = movable.id
WHERE b.id = movable.id;
