"""Documents: the block model (`blocks`), the one DOCX writer (`docx`: the bulletin's renderer
and the primitives every Word document uses), PDF (`pdf`) and reproducible zip packages
(`zipfix`). Above `display`, below every app: it imports no twintrack app."""
