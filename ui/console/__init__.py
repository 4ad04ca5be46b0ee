"""The umpire console: a Streamlit app over the live-drill service layer (:mod:`live`).

``app.py`` is the only entry; ``views/`` holds one module per page (not ``pages/``: Streamlit would take that folder for its legacy multipage app), each a ``page()``
function; ``strings.py`` every text in Chinese and English; ``state.py`` the per-session state.
Pages hold no scoring, storage or simulation logic: they call :mod:`live`, the evaluators and
the existing chart and report functions.
"""
