"""The dataset's tables and files: one place for their names and the schema version."""

SCHEMA_VERSION = 1

DISTRICTS = "districts.parquet"  # adm2_pcode, adm2_name, adm2_name_<lang>, adm1_pcode, adm1_name, area_km2
PROVINCES = "provinces.parquet"  # adm1_pcode, adm1_name, area_km2
POPULATION = "population.parquet"  # adm2_pcode, population, population_female, population_male
MANIFEST = "manifest.json"
REJECTED = "rejected.csv"
GEOMETRY = {"adm2": "geometry/adm2.json", "adm1": "geometry/adm1.json"}
REJECTED_COLUMNS = ["file", "row", "column", "value", "reason"]
