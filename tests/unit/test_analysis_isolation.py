import subprocess
import sys

from dialog import ROOT


def test_importing_analysis_loads_neither_flask_nor_dialog():
    code = (
        "import sys, analysis, pkgutil, importlib\n"
        "for m in pkgutil.walk_packages(analysis.__path__, 'analysis.'):\n"
        "    importlib.import_module(m.name)\n"
        "bad = sorted(n for n in sys.modules if n.split('.')[0] in ('flask', 'dialog'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "", f"analysis imports: {result.stdout}"
