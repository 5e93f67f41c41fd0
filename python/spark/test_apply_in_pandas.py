"""The package inside PySpark (local mode): ``groupBy(...).applyInPandas(...)`` calling
``alliance`` in Spark's Python workers gives exactly the single-process results.

Run by ``python/spark_test.sh`` (which installs pyspark and a Java runtime); skipped when
pyspark is not installed.
"""

from __future__ import annotations

import os
import sys

import numpy as np
import pandas as pd
import pytest

import alliance

pyspark = pytest.importorskip("pyspark")
from pyspark import cloudpickle  # noqa: E402
from pyspark.sql import SparkSession  # noqa: E402

# The functions below travel to Spark's workers by value: this test module is not importable
# there.
cloudpickle.register_pickle_by_value(sys.modules[__name__])


@pytest.fixture(scope="module")
def spark():
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    session = (
        SparkSession.builder.master("local[2]")
        .appName("alliance-python-spark-test")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .getOrCreate()
    )
    yield session
    session.stop()


SCHEMA = ("client string, sessions long, s long, p double, slope double, "
          "icc_a1 double, icc_n long, alerts long, codes string")


def per_client(frame: pd.DataFrame) -> pd.DataFrame:
    """One client's course: VAS-4 trend, client-therapist ICC(A,1) on HAq-II, monitor
    alerts. Runs in a Spark worker (and in the driver, for the comparison)."""
    client = frame["client"].iloc[0]
    vas = frame[frame.instrument == "VAS-4"].pivot(index="session", columns="item", values="answer")
    total = alliance.score(vas, "VAS-4")["total"].sort_index()
    times = total.index.to_numpy(dtype=float)
    mk = alliance.mann_kendall(total.to_numpy(), times=times)
    sen = alliance.sen_slope(total.to_numpy(), times=times)
    haq = frame[frame.instrument == "HAq-II"].pivot(index=["session", "rater"], columns="item", values="answer")
    totals = alliance.score(haq, "HAq-II")["total"].reset_index()
    icc = alliance.icc(totals, targets="session", raters="rater", ratings="total")
    m = alliance.Monitor(reference_sd=2.0, sudden_drop=5.0, pcoms_cutoff=36.0)
    codes = [a["code"] for session, x in total.items() for a in m.push(x, session=int(session))]
    return pd.DataFrame([{
        "client": client, "sessions": len(total), "s": mk.s, "p": mk.p, "slope": sen.slope,
        "icc_a1": icc.loc[1, "ICC"], "icc_n": int(icc.loc[1, "n"]), "alerts": len(codes),
        "codes": ",".join(codes),
    }])


def test_caseload_per_client_equals_single_process(spark):
    cl = alliance.sample_caseload()
    want = (cl.groupby("client", group_keys=False)[list(cl.columns)].apply(per_client)
            .sort_values("client").reset_index(drop=True))
    got = (spark.createDataFrame(cl).groupBy("client").applyInPandas(per_client, SCHEMA)
           .toPandas().sort_values("client").reset_index(drop=True))
    pd.testing.assert_frame_equal(got, want, check_exact=True, check_dtype=False)
    assert list(got.client) == ["C01", "C02", "C03"]
    assert "rupture_strict" in got.set_index("client").loc["C02", "codes"]


BATCH_SCHEMA = "series long, s double, p double, slope double, ci_lower double, ci_upper double"


def trend_of_group(frame: pd.DataFrame) -> pd.DataFrame:
    """Mann-Kendall and Sen of one series given in long form (series, session, score)."""
    frame = frame.sort_values("session")
    y, t = frame["score"].to_numpy(), frame["session"].to_numpy(dtype=float)
    mk, sen = alliance.mann_kendall(y, times=t), alliance.sen_slope(y, times=t)
    lo, hi = sen.ci if sen.ci is not None else (np.nan, np.nan)
    return pd.DataFrame([{"series": frame["series"].iloc[0], "s": float(mk.s), "p": mk.p,
                          "slope": sen.slope, "ci_lower": lo, "ci_upper": hi}])


def test_many_series_equal_the_batch(spark):
    rng = np.random.default_rng(20261129)
    count, sessions = 2_000, 20
    values = np.round(3 + rng.normal(0, 0.4, size=(count, sessions)).cumsum(axis=1) * 0.3, 1)
    long = pd.DataFrame({
        "series": np.repeat(np.arange(count), sessions),
        "session": np.tile(np.arange(1, sessions + 1), count),
        "score": values.ravel(),
    })
    batch = alliance.mann_kendall_sen_batch(values, times=np.arange(1, sessions + 1, dtype=float))
    got = (spark.createDataFrame(long).groupBy("series").applyInPandas(trend_of_group, BATCH_SCHEMA)
           .toPandas().sort_values("series").reset_index(drop=True))
    assert len(got) == count
    for column in ["s", "p", "slope", "ci_lower", "ci_upper"]:
        np.testing.assert_array_equal(got[column].to_numpy(), batch[column].to_numpy(), err_msg=column)
