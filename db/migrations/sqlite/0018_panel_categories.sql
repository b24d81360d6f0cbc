ALTER TABLE `panel_biomarkers` ADD `categories` text DEFAULT '[]' NOT NULL;
--> statement-breakpoint
-- Categories used to live in the description, as one line `Choices: 1, Male | 2, Female` (decision 026).
-- Each category biomarker's first such line moves into the column, as liftChoicesLine
-- (app/domain/categories.ts) reads it: the line starts the text or follows a line feed; a category is
-- `code, label` (split at the first comma), categories are split at | (a stray CR counts as one); every
-- code and label must be non-empty, codes unique, codes at most 60 and labels at most 300 characters,
-- at most 1000 categories. A line that fails any of these stays in the description for a person to fix.
WITH RECURSIVE
  found AS (
    SELECT id, description,
      CASE WHEN substr(description, 1, 9) = 'Choices: ' THEN 1 ELSE instr(description, char(10) || 'Choices: ') + 1 END AS start
    FROM panel_biomarkers
    WHERE value_type = 'category'
      AND (substr(description, 1, 9) = 'Choices: ' OR instr(description, char(10) || 'Choices: ') > 0)
  ),
  ended AS (
    SELECT id, description, start, instr(substr(description, start), char(10)) AS nl FROM found
  ),
  lines AS (
    SELECT id,
      CASE WHEN nl = 0 THEN substr(description, start + 9) ELSE substr(description, start + 9, nl - 10) END AS content,
      substr(description, 1, start - 1) || CASE WHEN nl = 0 THEN '' ELSE substr(description, start + nl) END AS rest
    FROM ended
  ),
  parts(id, n, part, remaining) AS (
    SELECT id, 0, NULL, replace(content, char(13), '|') || '|' FROM lines
    UNION ALL
    SELECT id, n + 1,
      trim(substr(remaining, 1, instr(remaining, '|') - 1), ' ' || char(9) || char(10) || char(13)),
      substr(remaining, instr(remaining, '|') + 1)
    FROM parts WHERE remaining <> ''
  ),
  cats AS (
    SELECT id, n,
      CASE WHEN instr(part, ',') = 0 THEN ''
        ELSE trim(substr(part, 1, instr(part, ',') - 1), ' ' || char(9) || char(10) || char(13)) END AS code,
      CASE WHEN instr(part, ',') = 0 THEN ''
        ELSE trim(substr(part, instr(part, ',') + 1), ' ' || char(9) || char(10) || char(13)) END AS label
    FROM parts WHERE n > 0 AND part <> ''
  ),
  movable AS (
    SELECT id FROM cats GROUP BY id
    HAVING min(code <> '' AND label <> '' AND length(code) <= 60 AND length(label) <= 300) = 1
      AND count(*) = count(DISTINCT code) AND count(*) <= 1000
  )
UPDATE panel_biomarkers SET
  categories = (
    SELECT json_group_array(json_object('code', code, 'label', label) ORDER BY n) FROM cats WHERE cats.id = panel_biomarkers.id
  ),
  description = (
    SELECT trim(rest, ' ' || char(9) || char(10) || char(13)) FROM lines WHERE lines.id = panel_biomarkers.id
  )
WHERE id IN (SELECT id FROM movable);
