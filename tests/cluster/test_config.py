"""Each embedder's similarities sit on their own scale, so each gets its own
calibrated thresholds."""

from __future__ import annotations

import logging

import pytest

from ohliad.cluster import ClusterConfig, calibrated


def test_default_config_is_the_default_embedders_calibration() -> None:
    default = ClusterConfig()
    assert default == ClusterConfig.for_embedder(calibrated.DEFAULT_EMBEDDER)


@pytest.mark.parametrize("embedder", sorted(calibrated.CALIBRATIONS))
def test_every_calibrated_embedder_gets_its_own_values(embedder: str) -> None:
    config = ClusterConfig.for_embedder(embedder)
    values = calibrated.CALIBRATIONS[embedder]
    assert config.embedder == embedder
    assert config.join_threshold == values["thresholds"]["join_threshold"]
    assert config.split_threshold == values["thresholds"]["split_threshold"]
    assert config.lead_chars == int(values["thresholds"]["lead_chars"])
    assert config.weights.terms == values["weights"]["terms"]


def test_an_uncalibrated_embedder_falls_back_with_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING):
        config = ClusterConfig.for_embedder("e5")
    assert config.embedder == "e5"
    assert config.join_threshold == ClusterConfig().join_threshold
    assert "no clustering calibration for embedder 'e5'" in caplog.text


def test_a_spec_with_a_title_engine_names_both() -> None:
    assert ClusterConfig(embedder="minilm-static+minilm").engines == ("minilm-static", "minilm")
    assert ClusterConfig(embedder="minilm").engines == ("minilm", "minilm")
