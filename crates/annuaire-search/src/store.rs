//! The on-disk index: schema, per-document derived text, atomic build and swap.
//!
//! `dir` is a symbolic link to a versioned sibling directory (`.<name>.<stamp>`). A build writes a
//! new version next to it and replaces the link with `rename`, which is atomic: a reader opens
//! either the old or the new index, never a half-built one, and a failed build leaves the link
//! (and the old index) untouched. Old versions are removed after the swap; readers that still
//! have them open keep working because their files stay alive until closed.

use std::collections::HashMap;
use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tantivy::schema::{FAST, Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions};
use tantivy::tokenizer::{TextAnalyzer, WhitespaceTokenizer};
use tantivy::{Index, TantivyDocument};

use annuaire_core::Categorie;

use crate::{IndexSource, SearchDoc, SearchError, analysis, lexicon};

/// Bumped whenever the schema or the analysis changes, so an old index asks for a rebuild.
/// 2: topics and identifiers left tantivy for the in-memory tables. 3: compact document table.
pub(crate) const FORMAT: u32 = 3;
const MANIFEST: &str = "annuaire-search.json";
const DOCS: &str = "docs.json";
/// Our analysis produces space-separated terms; tantivy only splits them.
const TOKENIZER: &str = "annuaire_ws";

#[derive(Serialize, Deserialize)]
struct Manifest {
    format: u32,
    documents: usize,
    #[serde(default)]
    source: IndexSource,
}

#[derive(Clone, Copy)]
pub(crate) struct Fields {
    pub ord: Field,
    /// Folded name terms: exact, prefix and fuzzy matching.
    pub name: Field,
    /// Stemmed name terms.
    pub stem: Field,
    /// Folded city, commune and postal code.
    pub city: Field,
    /// Stemmed speciality labels.
    pub spec: Field,
}

pub(crate) fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default().set_tokenizer(TOKENIZER).set_index_option(IndexRecordOption::WithFreqs),
    );
    let fields = Fields {
        ord: b.add_u64_field("ord", FAST),
        name: b.add_text_field("name", text.clone()),
        stem: b.add_text_field("stem", text.clone()),
        city: b.add_text_field("city", text.clone()),
        spec: b.add_text_field("spec", text),
    };
    (b.build(), fields)
}

pub(crate) fn register_tokenizer(index: &Index) {
    index.tokenizers().register(TOKENIZER, TextAnalyzer::builder(WhitespaceTokenizer::default()).build());
}

/// Text derived from a document, shared by the build (what tantivy indexes) and the open (what
/// the reranker and autocomplete read).
pub(crate) struct Prepared {
    pub name_terms: Vec<String>,
    pub city_terms: Vec<String>,
    pub topics: u32,
}

pub(crate) fn prepare(doc: &SearchDoc) -> Prepared {
    let mut name_terms = analysis::terms(&doc.denomination);
    for t in analysis::terms(&doc.nom_affichage) {
        if !name_terms.contains(&t) {
            name_terms.push(t);
        }
    }
    let mut city_terms = Vec::new();
    for text in [&doc.ville, &doc.commune, &doc.code_postal].into_iter().flatten() {
        for t in analysis::terms(text) {
            if !city_terms.contains(&t) {
                city_terms.push(t);
            }
        }
    }
    let topics = lexicon::topic_mask(doc.specialites.iter().map(|(code, _)| code.as_str()));
    Prepared { name_terms, city_terms, topics }
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> SearchError + '_ {
    move |source| SearchError::Io { path: path.to_path_buf(), source }
}

/// Build a new index version from `docs` and swap it in.
pub(crate) fn build(
    dir: &Path,
    docs: impl IntoIterator<Item = SearchDoc>,
    source: &IndexSource,
) -> Result<(), SearchError> {
    let docs: Vec<SearchDoc> = docs.into_iter().collect();
    // The NDA order gives deterministic doc numbers, hence deterministic tie-breaks. Sorting
    // numbers and moving each document once is ten times cheaper than sorting the documents.
    let mut order: Vec<usize> = (0..docs.len()).collect();
    order.sort_by(|&a, &b| docs[a].nda.cmp(&docs[b].nda));
    // The first of several documents with one NDA wins, as the sort is stable.
    order.dedup_by(|a, b| docs[*a].nda == docs[*b].nda);
    let mut slots: Vec<Option<SearchDoc>> = docs.into_iter().map(Some).collect();
    let docs: Vec<SearchDoc> = order.into_iter().filter_map(|i| slots[i].take()).collect();
    drop(slots);

    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = dir
        .file_name()
        .ok_or_else(|| SearchError::Invalid(format!("chemin d'index invalide : {}", dir.display())))?
        .to_string_lossy()
        .into_owned();
    fs::create_dir_all(&parent).map_err(io(&parent))?;
    let stamp =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_nanos();
    let version_name = format!(".{name}.{stamp}-{}", std::process::id());
    let version = parent.join(&version_name);
    fs::create_dir(&version).map_err(io(&version))?;

    if let Err(e) = write_version(&version, &docs, source) {
        let _ = fs::remove_dir_all(&version);
        return Err(e);
    }
    swap(dir, &parent, &name, &version_name).inspect_err(|_| {
        let _ = fs::remove_dir_all(&version);
    })
}

fn write_version(version: &Path, docs: &[SearchDoc], source: &IndexSource) -> Result<(), SearchError> {
    let (schema, f) = schema();
    let index = Index::create_in_dir(version, schema)?;
    register_tokenizer(&index);
    // One indexing thread while this one prepares the documents keeps both cores busy, and
    // gives one segment whose document numbers follow `ord`: the candidates of a search then
    // come out in `ord` order and the side tables are read sequentially (a fifth faster than
    // two interleaved segments). The engine still maps documents through the `ord` fast
    // field, so more segments would only be slower, not wrong.
    let mut writer = index.writer_with_num_threads::<TantivyDocument>(1, 256_000_000)?;
    // The document table is written meanwhile: the single indexing thread is the slowest part,
    // and this thread has time to spare while it catches up.
    let path = version.join(DOCS);
    std::thread::scope(|scope| {
        let table = scope.spawn(|| write_docs(&path, docs));
        let indexed = index_docs(&mut writer, f, docs);
        let table = table.join().unwrap_or_else(|_| {
            Err(SearchError::Io {
                path: path.clone(),
                source: std::io::Error::other("writer thread panicked"),
            })
        });
        indexed.and(table)
    })?;
    writer.commit()?;
    writer.wait_merging_threads()?;

    // The manifest is written last: a version directory without one is incomplete.
    let path = version.join(MANIFEST);
    let manifest =
        serde_json::to_vec(&Manifest { format: FORMAT, documents: docs.len(), source: source.clone() })
            .map_err(|source| SearchError::Docs { path: path.clone(), source })?;
    fs::write(&path, manifest).map_err(io(&path))?;
    Ok(())
}

/// The document table on disk: each document a JSON array rather than an object, and the
/// speciality (code, label) pairs, a few hundred distinct ones repeated over the whole list,
/// stored once and referred to by number. That is 40% of the JSON, and of its writing and
/// reading time.
#[derive(Serialize)]
struct TableOut<'a> {
    specialites: Vec<(&'a str, &'a str)>,
    docs: Vec<RowOut<'a>>,
}

#[derive(Serialize)]
struct RowOut<'a>(
    &'a str,
    &'a Option<String>,
    &'a Option<String>,
    &'a str,
    &'a str,
    &'a Option<String>,
    &'a Option<String>,
    &'a Option<String>,
    &'a Option<String>,
    &'a Option<String>,
    &'a Option<String>,
    Option<f64>,
    Option<f64>,
    &'a str,
    &'a [Categorie],
    Vec<u32>,
);

#[derive(Deserialize)]
struct TableIn {
    specialites: Vec<(String, String)>,
    docs: Vec<RowIn>,
}

#[derive(Deserialize)]
struct RowIn(
    String,
    Option<String>,
    Option<String>,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<f64>,
    Option<f64>,
    String,
    Vec<Categorie>,
    Vec<u32>,
);

fn table_out(docs: &[SearchDoc]) -> TableOut<'_> {
    // Keyed by code alone (short to hash); a code with several labels keeps each of them.
    let mut ids: HashMap<&str, Vec<(&str, u32)>> = HashMap::new();
    let mut specialites = Vec::new();
    let rows = docs
        .iter()
        .map(|d| {
            let specs = d
                .specialites
                .iter()
                .map(|(c, l)| {
                    let known = ids.entry(c.as_str()).or_default();
                    match known.iter().find(|(label, _)| *label == l.as_str()) {
                        Some(&(_, id)) => id,
                        None => {
                            specialites.push((c.as_str(), l.as_str()));
                            let id = specialites.len() as u32 - 1;
                            known.push((l.as_str(), id));
                            id
                        }
                    }
                })
                .collect();
            RowOut(
                &d.nda,
                &d.siret,
                &d.siren,
                &d.denomination,
                &d.nom_affichage,
                &d.code_postal,
                &d.ville,
                &d.code_commune,
                &d.commune,
                &d.departement,
                &d.region,
                d.lat,
                d.lon,
                &d.precision_geo,
                &d.categories,
                specs,
            )
        })
        .collect();
    TableOut { specialites, docs: rows }
}

fn table_in(t: TableIn) -> Option<Vec<SearchDoc>> {
    t.docs
        .into_iter()
        .map(|r| {
            let specialites =
                r.15.iter().map(|&i| t.specialites.get(i as usize).cloned()).collect::<Option<Vec<_>>>()?;
            Some(SearchDoc {
                nda: r.0,
                siret: r.1,
                siren: r.2,
                denomination: r.3,
                nom_affichage: r.4,
                code_postal: r.5,
                ville: r.6,
                code_commune: r.7,
                commune: r.8,
                departement: r.9,
                region: r.10,
                lat: r.11,
                lon: r.12,
                precision_geo: r.13,
                categories: r.14,
                specialites,
            })
        })
        .collect()
}

fn write_docs(path: &Path, docs: &[SearchDoc]) -> Result<(), SearchError> {
    let file = fs::File::create(path).map_err(io(path))?;
    let mut w = BufWriter::new(file);
    serde_json::to_writer(&mut w, &table_out(docs))
        .map_err(|source| SearchError::Docs { path: path.to_path_buf(), source })?;
    w.flush().map_err(io(path))?;
    w.get_ref().sync_all().map_err(io(path))?;
    Ok(())
}

fn index_docs(
    writer: &mut tantivy::IndexWriter<TantivyDocument>,
    f: Fields,
    docs: &[SearchDoc],
) -> Result<(), SearchError> {
    // Names share most of their words and specialities come from a short list: stemming each
    // distinct word or label once halves the build.
    let mut stems: HashMap<String, String> = HashMap::new();
    let mut label_stems: HashMap<&str, Vec<String>> = HashMap::new();
    for (ord, doc) in docs.iter().enumerate() {
        let p = prepare(doc);
        let mut td = TantivyDocument::default();
        td.add_u64(f.ord, ord as u64);
        td.add_text(f.name, p.name_terms.join(" "));
        let mut stemmed = String::new();
        for t in &p.name_terms {
            if !stemmed.is_empty() {
                stemmed.push(' ');
            }
            match stems.get(t.as_str()) {
                Some(s) => stemmed.push_str(s),
                None => {
                    let s = analysis::stem(t);
                    stemmed.push_str(&s);
                    stems.insert(t.clone(), s);
                }
            }
        }
        td.add_text(f.stem, stemmed);
        td.add_text(f.city, p.city_terms.join(" "));
        let mut spec: Vec<String> = Vec::new();
        for (_, label) in &doc.specialites {
            let ls = label_stems
                .entry(label.as_str())
                .or_insert_with(|| analysis::terms(label).iter().map(|t| analysis::stem(t)).collect());
            for s in ls.iter() {
                if !spec.contains(s) {
                    spec.push(s.clone());
                }
            }
        }
        td.add_text(f.spec, spec.join(" "));
        // Topics and identifiers are not indexed here: the engine keeps both in memory (a
        // topic is a bit per provider, an identifier a sorted table), which matches them
        // without walking a union of postings, and 480,000 one-document identifier terms
        // were an eighth of the build.
        writer.add_document(td)?;
    }
    Ok(())
}

#[cfg(unix)]
fn swap(dir: &Path, parent: &Path, name: &str, version_name: &str) -> Result<(), SearchError> {
    let previous = fs::read_link(dir).ok();
    let link_tmp = parent.join(format!("{version_name}.link"));
    std::os::unix::fs::symlink(version_name, &link_tmp).map_err(io(&link_tmp))?;
    if let Ok(meta) = fs::symlink_metadata(dir)
        && meta.is_dir()
    {
        // A plain directory (not made by us): move it aside once, then use links from now on.
        let aside = parent.join(format!(".{name}.replaced-{version_name}"));
        fs::rename(dir, &aside).map_err(io(dir))?;
        let _ = fs::remove_dir_all(&aside);
    }
    fs::rename(&link_tmp, dir).map_err(io(dir))?;
    if let Some(prev) = previous {
        let prev = if prev.is_absolute() { prev } else { parent.join(prev) };
        let _ = fs::remove_dir_all(prev);
    }
    Ok(())
}

#[cfg(not(unix))]
fn swap(dir: &Path, parent: &Path, name: &str, version_name: &str) -> Result<(), SearchError> {
    // Without symbolic links the swap is two renames; the gap between them is tiny.
    let aside = parent.join(format!(".{name}.old-{version_name}"));
    if dir.exists() {
        fs::rename(dir, &aside).map_err(io(dir))?;
    }
    fs::rename(parent.join(version_name), dir).map_err(io(dir))?;
    let _ = fs::remove_dir_all(&aside);
    Ok(())
}

/// Open the tantivy index and read the document table, checking the format.
pub(crate) fn open(dir: &Path) -> Result<(Index, Vec<SearchDoc>, IndexSource), SearchError> {
    // Resolve the link once so the manifest, the index and the table all come from the same
    // version even if a build swaps it meanwhile.
    let real = match fs::canonicalize(dir) {
        Ok(p) => p,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(SearchError::Missing(dir.to_path_buf()));
        }
        Err(e) => return Err(SearchError::Io { path: dir.to_path_buf(), source: e }),
    };
    let manifest_path = real.join(MANIFEST);
    let bytes = match fs::read(&manifest_path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(SearchError::Missing(dir.to_path_buf()));
        }
        Err(e) => return Err(SearchError::Io { path: manifest_path, source: e }),
    };
    let manifest: Manifest = serde_json::from_slice(&bytes)
        .map_err(|source| SearchError::Docs { path: manifest_path.clone(), source })?;
    if manifest.format != FORMAT {
        return Err(SearchError::Version {
            path: dir.to_path_buf(),
            found: manifest.format,
            expected: FORMAT,
        });
    }
    let index = Index::open_in_dir(&real)?;
    register_tokenizer(&index);
    let path = real.join(DOCS);
    // Parsing from memory is twice as fast as through a reader.
    let bytes = fs::read(&path).map_err(io(&path))?;
    let table: TableIn =
        serde_json::from_slice(&bytes).map_err(|source| SearchError::Docs { path: path.clone(), source })?;
    drop(bytes);
    let docs = table_in(table).ok_or_else(|| SearchError::Docs {
        path: path.clone(),
        source: serde::de::Error::custom("a document refers to a speciality that is not in the table"),
    })?;
    Ok((index, docs, manifest.source))
}

/// The source recorded in the manifest of the index at `dir`, without opening it: lets a caller
/// decide whether the index is stale before paying for the open.
pub(crate) fn source_at(dir: &Path) -> Result<IndexSource, SearchError> {
    let real = fs::canonicalize(dir).map_err(|_| SearchError::Missing(dir.to_path_buf()))?;
    let path = real.join(MANIFEST);
    let bytes = fs::read(&path).map_err(|_| SearchError::Missing(dir.to_path_buf()))?;
    let manifest: Manifest =
        serde_json::from_slice(&bytes).map_err(|source| SearchError::Docs { path: path.clone(), source })?;
    if manifest.format != FORMAT {
        return Err(SearchError::Version {
            path: dir.to_path_buf(),
            found: manifest.format,
            expected: FORMAT,
        });
    }
    Ok(manifest.source)
}
