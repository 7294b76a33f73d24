"""Knowledge library: documents and good-practice notes with multilingual search."""
