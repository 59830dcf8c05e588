import pytest

import kcore


@pytest.fixture
def restore_config():
    saved = kcore.config.floatx(), kcore.config.epsilon(), kcore.config.image_data_format()
    yield
    kcore.config.set_floatx(saved[0])
    kcore.config.set_epsilon(saved[1])
    kcore.config.set_image_data_format(saved[2])


def test_defaults_match_keras():
    assert kcore.config.floatx() == "float32"
    assert kcore.config.epsilon() == 1e-7
    assert kcore.config.image_data_format() == "channels_last"


def test_setters_validate(restore_config):
    kcore.config.set_floatx("bfloat16")
    assert kcore.backend.floatx() == "bfloat16"
    assert kcore.backend.result_type(int, float) == "bfloat16"
    with pytest.raises(ValueError, match="Unknown floatx type: 'float8'"):
        kcore.config.set_floatx("float8")
    with pytest.raises(ValueError, match="Unknown data_format"):
        kcore.config.set_image_data_format("channels_middle")


def test_floatx_drives_default_dtypes(restore_config):
    kcore.config.set_floatx("float16")
    assert kcore.ops.dtype(kcore.ops.convert_to_tensor([1.5])) == "float16"
