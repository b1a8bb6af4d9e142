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


def test_batches_follow_the_global_image_data_format(folders, tmp_path):
    """Set to channels_first, the generator yields channels-first images, and a model built by
    fit() from them is built the way Keras builds it."""
    keras = pytest.importorskip("keras")
    from keras.src.legacy.preprocessing.image import ImageDataGenerator

    from archlint.pipeline import analyze_file

    keras.backend.set_image_data_format("channels_first")
    try:
        images, _ = ImageDataGenerator().flow_from_directory(str(folders), target_size=(20, 24), batch_size=2)[0]
        want = tuple(keras.layers.Conv2D(4, 3).compute_output_shape((None, *images.shape[1:])))
    finally:
        keras.backend.set_image_data_format("channels_last")
    path = tmp_path / "fit.py"
    path.write_text("import keras\nfrom tensorflow.keras.preprocessing.image import ImageDataGenerator\n"
                    "keras.backend.set_image_data_format('channels_first')\n"
                    "model = keras.Sequential([keras.layers.Conv2D(4, 3), keras.layers.GlobalAveragePooling2D(),"
                    " keras.layers.Dense(3, activation='softmax')])\n"
                    "model.compile(loss='categorical_crossentropy')\n"
                    f"model.fit(ImageDataGenerator().flow_from_directory({str(folders)!r}, target_size=(20, 24)))\n")
    (summary,) = analyze_file(str(path)).summaries
    assert tuple(summary.rows[0].output_shape) == want
