"""Reads SQLite through ADBC in a child process and writes Arrow IPC streams to stdout.

Run as a script by `adbc.SQLiteChild`; it imports neither Flask nor dialog. ADBC brings its own
copy of SQLite, and two copies of SQLite in one process break each other's file locks (closing
one releases the other's POSIX locks, and the WAL file can vanish under open connections:
"disk I/O error", at worst a corrupt database). In a process of its own it is safe.

Protocol: one JSON object per line on stdin ({"sql": ..., "params": [...], "batch_rows": N});
for each, one Arrow IPC stream on stdout. All queries run in one read transaction, so every
table comes from the same snapshot.
"""

import json
import sys

import adbc_driver_sqlite.dbapi as driver
import pyarrow as pa


def main(database: str) -> None:
    out = sys.stdout.buffer
    with driver.connect(database) as connection:  # autocommit off: one read transaction
        for line in sys.stdin:
            query = json.loads(line)
            with connection.cursor() as cursor:
                cursor.adbc_statement.set_options(
                    **{"adbc.sqlite.query.batch_rows": str(query["batch_rows"])}
                )
                cursor.execute(query["sql"], query["params"] or None)
                reader = cursor.fetch_record_batch()
                with pa.ipc.new_stream(out, reader.schema) as writer:
                    for batch in reader:
                        writer.write_batch(batch)
            out.flush()


if __name__ == "__main__":
    main(sys.argv[1])
