"""Batches from folders of images: the shapes archlint gives flow_from_directory's batches
equal the batches real Keras reads from a folder of image files."""

import pytest

from archlint.interpreter.batches import ImageGenerator, flow_from_directory

CASES = [
    ({"target_size": (20, 24)}, {}),
    ({"target_size": (20, 24), "color_mode": "grayscale", "class_mode": "binary"}, {}),
    ({"target_size": (16, 16), "color_mode": "rgba", "class_mode": "sparse"}, {}),
    ({"target_size": (16, 16), "class_mode": "input"}, {}),
    ({}, {}),  # the default 256x256 rgb, one-hot labels
    ({"target_size": (12, 10), "class_mode": None}, {}),
    ({"target_size": (12, 10)}, {"data_format": "channels_first"}),
]


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    image = pytest.importorskip("PIL.Image")
    root = tmp_path_factory.mktemp("images")
    for name in ("cat", "dog", "bird"):
        (root / name).mkdir()
        for index in range(2):
            image.new("RGB", (30, 20), (index * 40, 80, 120)).save(root / name / f"{index}.png")
    return root


@pytest.mark.parametrize("keywords, generator", CASES)
def test_flow_from_directory_matches_keras(folders, keywords, generator):
    keras = pytest.importorskip("keras")
    from keras.src.legacy.preprocessing.image import ImageDataGenerator  # what tf.keras exports

    batches = ImageDataGenerator(**generator).flow_from_directory(
        str(folders), batch_size=4, **keywords)
    batch = batches[0]
    images, labels = (batch, None) if not isinstance(batch, tuple) else batch
    got = flow_from_directory(ImageGenerator(generator.get("data_format", "channels_last")), [str(folders)], keywords)
    assert got.data == (None, *images.shape[1:])
    if got.labels is None:
        assert labels is None
        return
    want = (None, *labels.shape[1:])
    if got.one_hot:  # the class count is the number of folders, which archlint never lists
        assert got.labels == (None, None) and want == (None, 3)
    else:
        assert got.labels == want
