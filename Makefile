# Everyday tasks; the README shows the two commands a newcomer needs.
.PHONY: lint test test-postgres i18n bench

lint:
	ruff check . && ruff format --check . && mypy

test:
	pytest

test-postgres:
	BARBERPRO_TEST_DATABASE_URL=postgresql+asyncpg://postgres@127.0.0.1:5432/test pytest

# Extract texts from the code, merge them into the catalogs, compile. Then translate the new
# entries in locales/es_AR (voseo) and locales/en.
i18n:
	pybabel extract -F babel.cfg -k _ -k gettext -k N_ --no-location --sort-output --omit-header -o locales/messages.pot .
	pybabel update -i locales/messages.pot -d locales --no-fuzzy-matching --width 100
	pybabel compile -d locales

bench:
	python bench/availability.py
