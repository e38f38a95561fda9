"""The documentation keeps up with the code.

Every public name is in the API reference, every ``:ref:`` a docstring uses
has its target in the user guide, every gallery example is well-formed and
linked from the user guide, and every public docstring passes numpydoc's
validation. Building the site itself (``make -C doc html``) runs in CI.
"""

import inspect
import re
from pathlib import Path

import numpy as np
import pytest

import skdeep
import skdeep.datasets
import skdeep.plotting

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "doc"
EXAMPLES = ROOT / "examples"
PUBLIC_MODULES = [skdeep, skdeep.datasets, skdeep.plotting]

pytestmark = pytest.mark.skipif(not DOC.is_dir(), reason="documentation sources not present")


BUILT = {"_build", "generated", "auto_examples"}  # written by the build, not sources


def rst_sources():
    written = [p for p in DOC.rglob("*.rst") if not BUILT & set(p.relative_to(DOC).parts)]
    return [*written, *EXAMPLES.glob("*.rst")]


def public_names():
    return [(module, name) for module in PUBLIC_MODULES for name in module.__all__]


def autosummary_entries():
    """Names listed under the ``autosummary`` directives of doc/api.rst."""
    entries, inside = set(), False
    for line in (DOC / "api.rst").read_text().splitlines():
        if line.startswith(".. autosummary::"):
            inside = True
        elif inside and line and not line.startswith(" "):
            inside = False
        elif inside and re.fullmatch(r"   \w+", line):
            entries.add(line.strip())
    return entries


@pytest.mark.parametrize("module, name", public_names(),
                         ids=[f"{m.__name__}.{n}" for m, n in public_names()])
def test_api_reference_lists_public_name(module, name):
    assert name in autosummary_entries(), (
        f"{module.__name__}.{name} is public but missing from doc/api.rst")


def defined_labels():
    labels = set()
    for path in rst_sources():
        labels |= set(re.findall(r"^\.\. _([\w-]+):", path.read_text(), flags=re.M))
    labels |= {f"sphx_glr_auto_examples_{p.name.replace('.', '_')[:-3]}.py"
               for p in EXAMPLES.glob("plot_*.py")}
    return labels


def ref_targets(text):
    """Targets of ``:ref:`label``` and ``:ref:`text <label>``` roles."""
    return {m.group(2) or m.group(1)
            for m in re.finditer(r":ref:`([^`<]+?)\s*(?:<([^`>]+)>)?`", text)}


def test_docstring_refs_have_targets():
    used = {}
    for path in (ROOT / "skdeep").rglob("*.py"):
        for target in ref_targets(path.read_text()):
            used.setdefault(target, path.name)
    missing = {t: f for t, f in used.items() if t not in defined_labels()}
    assert not missing, f"user guide labels missing for: {missing}"


def test_user_guide_refs_have_targets():
    labels = defined_labels()
    for path in [*rst_sources(), *EXAMPLES.glob("plot_*.py")]:
        missing = ref_targets(path.read_text()) - labels
        assert not missing, f"{path.name} refers to undefined labels {missing}"


def test_label_rbm_exists():
    # a direct check on the label the RBM docstrings use
    assert "rbm" in defined_labels()
    assert "rbm" in ref_targets(inspect.getdoc(skdeep.BernoulliRBM))


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("plot_*.py")), ids=lambda p: p.name)
def test_example_is_gallery_script_linked_from_user_guide(path):
    lines = path.read_text().splitlines()
    assert lines[0] == '"""', "a gallery example starts with its docstring"
    over, title, under = lines[1:4]
    assert set(over) == {"="} and over == under and len(over) >= len(title), (
        "title must be over- and underlined with '=' at least as long as it")
    label = f"sphx_glr_auto_examples_{path.stem}.py"
    guide = "".join(p.read_text() for p in (DOC / "user_guide").glob("*.rst"))
    assert label in guide, f"{path.name} is not linked from the user guide"


# ------------------------------------------------------------ numpydoc validation
# Checks left out, as scikit-learn leaves them out: extended summary, See Also
# and Examples on every method, and RT02 (scikit-learn names its return values,
# ``self : object``).
IGNORED_CHECKS = {"ES01", "SA01", "EX01", "RT02"}

# {qualified name: {check: reason}}: known failures, each with its reason.
KNOWN_FAILURES = {}


def documented_objects():
    """Every public function and class, and each class's public methods and
    properties defined in skdeep (not inherited from scikit-learn)."""
    names = []
    for module, name in public_names():
        obj = getattr(module, name)
        names.append(f"{module.__name__}.{name}")
        if not inspect.isclass(obj):
            continue
        for member, value in inspect.getmembers(obj):
            func = value.fget if isinstance(value, property) else value
            if member.startswith("_") or not inspect.isfunction(func):
                continue
            if func.__module__.startswith("skdeep"):
                names.append(f"{module.__name__}.{name}.{member}")
    return names


@pytest.mark.parametrize("name", documented_objects())
def test_numpydoc_validation(name):
    validate = pytest.importorskip("numpydoc.validate").validate
    errors = {code: message for code, message in validate(name)["errors"]
              if code not in IGNORED_CHECKS}
    unexpected = {c: m for c, m in errors.items() if c not in KNOWN_FAILURES.get(name, {})}
    assert not unexpected, f"{name}: {unexpected}"


def test_readme_example_runs_and_classifies():
    """The README's Python example runs as written and its accuracy claim holds."""
    readme = (ROOT / "README.md").read_text()
    code = readme.split("```python\n", 1)[1].split("```", 1)[0]
    namespace = {}
    exec(compile(code, "README.md", "exec"), namespace)
    # the README says "about 0.95", "about 0.98" and "about 0.95"; the bounds
    # leave room for BLAS rounding differences
    X_test, y_test = namespace["X_test"], namespace["y_test"]
    assert namespace["model"].score(X_test, y_test) > 0.9
    assert np.isfinite(namespace["rbm"].score(X_test))
    assert namespace["clf"].score(X_test, y_test) > 0.96
    assert namespace["semi"].score(X_test, y_test) > 0.9
