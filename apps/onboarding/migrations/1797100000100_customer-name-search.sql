-- Up Migration
-- The back office looks customers up by the start of their name, ignoring case and accents (issue #19): the name
-- lower-cased without the accents of Portuguese, kept by PostgreSQL beside it, with a prefix index. The API folds the
-- operator's text the same way (@krt/onboarding searchCustomers).
ALTER TABLE customers ADD COLUMN full_name_search TEXT GENERATED ALWAYS AS (
  lower(translate(full_name, 'ÁÀÂÃÄÅáàâãäåÉÈÊËéèêëÍÌÎÏíìîïÓÒÔÕÖóòôõöÚÙÛÜúùûüÇçÑñÝýÿ', 'AAAAAAaaaaaaEEEEeeeeIIIIiiiiOOOOOoooooUUUUuuuuCcNnYyy'))
) STORED;
CREATE INDEX customers_full_name_search_idx ON customers (full_name_search text_pattern_ops);

-- Down Migration
DROP INDEX customers_full_name_search_idx;
ALTER TABLE customers DROP COLUMN full_name_search;
