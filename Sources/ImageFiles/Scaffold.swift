// ImageFiles module (scaffold, replaced as the module grows)
