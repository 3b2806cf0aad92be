-- wrk script: rotate through a mix of search URLs (text, topic + place + radius + facets,
-- autocomplete of places, browsing with filters), as people use the directory.
local paths = {
  "/api/v1/recherche?q=formation+excel+marseille",
  "/api/v1/recherche?q=comptabilite+lyon",
  "/api/v1/recherche?q=cybers%C3%A9curit%C3%A9+%C3%8Ele-de-France",
  "/api/v1/recherche?q=bilan+de+comp%C3%A9tences+69",
  "/api/v1/recherche?q=anglais&lieu=Bordeaux",
  "/api/v1/recherche?q=caces",
  "/api/v1/recherche?q=sst+toulouse",
  "/api/v1/recherche?q=informatique",
  "/api/v1/recherche?q=dupont+formation",
  "/api/v1/recherche?q=institut+formation+marseille",
  "/api/v1/recherche?q=management&lieu=Nantes&rayon_km=20&tri=distance",
  "/api/v1/recherche?thematique=langues&lieu=Lille",
  "/api/v1/recherche?thematique=sante&lieu=13008&rayon_km=10",
  "/api/v1/recherche?thematique=informatique&categorie=apprentissage&lieu=Rennes",
  "/api/v1/recherche?lat=45.76&lon=4.83&rayon_km=15&categorie=vae",
  "/api/v1/recherche?departement=13&categorie=bilans_competences",
  "/api/v1/recherche?region=84&thematique=btp&tri=nom",
  "/api/v1/recherche?tri=nom&page=3",
  "/api/v1/recherche?q=formation&page=2",
  "/api/v1/lieux?q=mars",
  "/api/v1/lieux?q=sai",
  "/api/v1/lieux?q=lyo",
}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
